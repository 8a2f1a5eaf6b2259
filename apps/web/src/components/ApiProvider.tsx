'use client';

import { type ReactNode, useSyncExternalStore } from 'react';
import { type Client, Provider } from 'urql';
import { createApiClient } from '../api/createApiClient.ts';
import { Loading } from './common/Loading.tsx';

let client: Client | undefined;
const browserClient = () => {
  client ??= createApiClient(window.location.origin);
  return client;
};

const subscribeNever = () => () => {};

/**
 * Provides the single urql client. Data needs the browser's session cookie, so pages render on the client:
 * the server sends the shell with a loading line and hydration fills it in.
 */
export function ApiProvider({ children }: { children: ReactNode }) {
  const inBrowser = useSyncExternalStore(
    subscribeNever,
    () => true,
    () => false,
  );
  if (!inBrowser) return <Loading what="the dashboard" />;
  return <Provider value={browserClient()}>{children}</Provider>;
}
