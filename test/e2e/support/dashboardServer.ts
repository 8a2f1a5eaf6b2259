import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { WEB_DIR } from './dashboardBuild.ts';

export interface Dashboard {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the built dashboard (its production server, as `npm start` runs it) on a free port, forwarding
 * `/graphql` to `apiUrl`; resolves once it listens.
 */
export function startDashboard(apiUrl: string): Promise<Dashboard> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(WEB_DIR, 'server.ts')], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      ARGMAX_WEB_PORT: '0',
      ARGMAX_WEB_HOST: '127.0.0.1',
      ARGMAX_API_URL: apiUrl,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the dashboard did not start within 60 s:\n${output}`));
    }, 60_000);
    const onData = (d: Buffer) => {
      output += d;
      const port = output.match(/argmax dashboard on http:\/\/localhost:(\d+)/)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${port}`, stop });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the dashboard exited (${code}) before listening:\n${output}`));
    });
  });
}
