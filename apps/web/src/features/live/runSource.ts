/** How the page reaches a run: as a team member (by id) or through a share link (signed out). */
export type RunSource = { kind: 'member'; runId: string } | { kind: 'share'; runId: string; token: string };
