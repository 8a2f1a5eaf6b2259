import { buildApp } from './app.ts';
import { configFromEnv } from './config.ts';

// The only place that listens: tests build their own app on port 0.
const app = await buildApp(configFromEnv());
await app.start();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: shutting down`);
    void app.stop().then(() => process.exit(0));
  });
}
