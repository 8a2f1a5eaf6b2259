const KEY = 'argmax.lastTeamId';

/** The team a user last looked at, so pages outside /t/[teamId] (a run, the home page) know where to go. */
export function rememberTeam(teamId: string): void {
  try {
    window.localStorage.setItem(KEY, teamId);
  } catch {
    // Storage can be disabled (private modes); the first team is then the default.
  }
}

export function lastTeam(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}
