'use client';

import { useParams } from 'next/navigation';
import { useEffect } from 'react';
import { useQuery } from 'urql';
import { MyTeamsQuery } from '../auth/viewerQuery.ts';
import { lastTeam, rememberTeam } from './lastTeam.ts';

/**
 * The team in the URL (/t/[teamId]/…), else the one last visited, else the first; with the caller's role.
 * `pause` skips the query for signed-out visitors.
 */
export function useCurrentTeam(pause = false) {
  const params = useParams<{ teamId?: string }>();
  const [{ data, fetching, error }] = useQuery({ query: MyTeamsQuery, pause });
  const teams = data?.teams ?? [];
  const wanted = params?.teamId ?? lastTeam();
  const team = teams.find((t) => t.id === wanted) ?? (params?.teamId ? undefined : teams[0]);
  useEffect(() => {
    if (params?.teamId) rememberTeam(params.teamId);
  }, [params?.teamId]);
  return { teams, team, fetching, error };
}
