import { configFromEnv } from './config.ts';
import { startWhenReachable } from './startWhenReachable.ts';
import { startWorkerProcess } from './workerProcess.ts';

// `npm run worker`: one worker process of the distributed setup (ARGMAX_QUEUE=redis on the API servers).
const config = configFromEnv();
const worker = await startWhenReachable(
  () => startWorkerProcess(config),
  config.log,
  config.startupWaitSeconds,
);

// `npm run` and tsx relay signals, so one stop request may arrive more than once: the first one counts.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: worker ${worker.workerId} stops taking jobs and finishes the ones it has`);
    void worker.stop().then(() => process.exit(0));
  });
}
