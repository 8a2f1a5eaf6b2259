import { buildApp } from './app.ts';
import { configFromEnv } from './config.ts';
import { startWhenReachable } from './startWhenReachable.ts';

// The only place that listens: tests build their own app on port 0.
const config = configFromEnv();
const app = await startWhenReachable(() => buildApp(config), config.log, config.startupWaitSeconds);
await app.start();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: shutting down`);
    void app.stop().then(() => process.exit(0));
  });
}
