'use client';

import Link from 'next/link';
import { useQuery } from 'urql';
import { SignOutButton } from '../auth/SignOutButton.tsx';
import { ViewerQuery } from '../auth/viewerQuery.ts';
import { TeamSwitcher } from '../teams/TeamSwitcher.tsx';
import { useCurrentTeam } from '../teams/useCurrentTeam.ts';

export function NavBar() {
  const [{ data }] = useQuery({ query: ViewerQuery });
  const me = data?.me;
  const { teams, team } = useCurrentTeam(!me);
  const base = team ? `/t/${team.id}` : null;
  return (
    <header className="nav">
      <Link href="/" className="brand">
        argmax
      </Link>
      {me ? (
        <>
          <TeamSwitcher teams={teams} currentId={team?.id} />
          {base ? (
            <nav className="nav-links" aria-label="Sections">
              <Link href={`${base}/runs`}>Runs</Link>
              <Link href={`${base}/new`}>New run</Link>
              <Link href={`${base}/gallery`}>Gallery</Link>
              <Link href={`${base}/compare`}>Compare</Link>
              <Link href={`${base}/models`}>Models</Link>
              <Link href={`${base}/team`}>Team</Link>
            </nav>
          ) : null}
          <span className="nav-user">
            <span className="muted" title={me.email}>
              {me.displayName || me.email}
            </span>
            <SignOutButton />
          </span>
        </>
      ) : (
        <span className="nav-user">
          <Link href="/signin">Sign in</Link>
          <Link href="/signup">Sign up</Link>
        </span>
      )}
    </header>
  );
}
