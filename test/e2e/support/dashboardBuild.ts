import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const WEB_DIR = new URL('../../../apps/web/', import.meta.url).pathname;

/** Newest modification time under the paths that feed `next build`. */
function newestSourceMtime(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const p of ['src', 'next.config.ts', 'package.json', 'tsconfig.json']) visit(join(WEB_DIR, p));
  return newest;
}

/** Builds the dashboard once when `.next` is missing or older than its sources (a build takes ~1 min). */
export async function ensureDashboardBuild(log: (line: string) => void = console.log): Promise<void> {
  const buildId = join(WEB_DIR, '.next', 'BUILD_ID');
  if (existsSync(buildId) && statSync(buildId).mtimeMs > newestSourceMtime()) return;
  log('e2e: building the dashboard (next build)…');
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [join(WEB_DIR, '../../node_modules/next/dist/bin/next'), 'build'], {
      cwd: WEB_DIR,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => {
      output += d;
    });
    child.stderr.on('data', (d) => {
      output += d;
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code}):\n${output.slice(-4000)}`)),
    );
  });
  log(`e2e: dashboard built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
