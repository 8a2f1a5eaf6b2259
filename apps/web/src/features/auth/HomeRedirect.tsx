'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useQuery } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { Loading } from '../../components/common/Loading.tsx';
import { lastTeam } from '../teams/lastTeam.ts';
import { MyTeamsQuery, ViewerQuery } from './viewerQuery.ts';

/** `/`: signed-out visitors go to sign in; others to the runs of the team they used last. */
export function HomeRedirect() {
  const router = useRouter();
  const [viewer] = useQuery({ query: ViewerQuery });
  const signedIn = Boolean(viewer.data?.me);
  const [teams] = useQuery({ query: MyTeamsQuery, pause: !signedIn });
  const list = teams.data?.teams;
  useEffect(() => {
    if (viewer.data && !viewer.data.me) router.replace('/signin');
    else if (list) {
      const team = list.find((t) => t.id === lastTeam()) ?? list[0];
      router.replace(team ? `/t/${team.id}/runs` : '/teams/new');
    }
  }, [viewer.data, list, router]);
  const error = viewer.error ?? teams.error;
  return error ? <ErrorMessage error={error} /> : <Loading what="your teams" />;
}
