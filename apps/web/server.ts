import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import next from 'next';
import { createGraphqlProxy } from './src/server/graphqlProxy.ts';
import { ensureBuild } from './src/server/nextBuild.ts';
import { webConfigFromEnv } from './src/server/webConfig.ts';

// Next's own server plus a same-origin `/graphql` proxy to the API (HTTP and graphql-ws upgrades).
const config = webConfigFromEnv();
// `npm start` on a fresh checkout (or after a pull) builds first instead of failing on a missing or stale `.next`.
if (!config.dev) {
  await ensureBuild(import.meta.dirname, () =>
    console.log('argmax dashboard: building the production bundle first (about a minute)…'),
  );
}
const app = next({ dev: config.dev, dir: import.meta.dirname, hostname: config.host, port: config.port });
const handle = app.getRequestHandler();
await app.prepare();
const upgradeNext = app.getUpgradeHandler();
const proxy = createGraphqlProxy(config.apiUrl);

const server = createServer((req, res) => {
  if (proxy.handles(req.url)) proxy.web(req, res);
  else void handle(req, res);
});
server.on('upgrade', (req, socket, head) => {
  if (proxy.handles(req.url)) proxy.upgrade(req, socket, head);
  else void upgradeNext(req, socket, head);
});
server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  console.log(
    `argmax dashboard on http://localhost:${port} (API ${config.apiUrl}${config.dev ? ', dev' : ''})`,
  );
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
