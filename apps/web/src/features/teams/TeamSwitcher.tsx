'use client';

import { usePathname, useRouter } from 'next/navigation';

interface Props {
  teams: readonly { id: string; name: string }[];
  currentId: string | undefined;
}

/** Switches team, staying on the same section (runs, models, gallery, …). */
export function TeamSwitcher({ teams, currentId }: Props) {
  const router = useRouter();
  const path = usePathname();
  const section = path.match(/^\/t\/[^/]+\/([^/]+)/)?.[1] ?? 'runs';
  return (
    <label className="team-switcher">
      <span className="visually-hidden">Team</span>
      <select
        value={currentId ?? ''}
        onChange={(e) => {
          const id = e.target.value;
          router.push(id === '__new' ? '/teams/new' : `/t/${id}/${section === 'team' ? 'team' : section}`);
        }}
      >
        {currentId ? null : <option value="">Choose a team</option>}
        {teams.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
          </option>
        ))}
        <option value="__new">+ New team…</option>
      </select>
    </label>
  );
}
