import { createClient as createWsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';

/**
 * The dashboard's one urql client. HTTP and graphql-ws both go to this origin's `/graphql`, which the
 * dashboard server forwards to the API, so the HTTP-only session cookie rides along on both.
 * Auth changes (sign in/out) reload the page, which also reconnects the socket with the new cookie.
 */
export function createApiClient(origin: string): Client {
  const ws = createWsClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    lazy: true,
    // Keep the socket a little after the last subscription ends: pages often start the next one at once.
    lazyCloseTimeout: 3000,
    retryAttempts: 5,
  });
  return new Client({
    url: '/graphql',
    fetchOptions: { credentials: 'same-origin' },
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              return { unsubscribe: ws.subscribe(input, sink) };
            },
          };
        },
      }),
    ],
  });
}
