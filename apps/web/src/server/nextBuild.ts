import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** What `next build` reads: a build older than any of these is stale. */
const BUILD_INPUTS = ['src', 'next.config.ts', 'package.json', 'tsconfig.json'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestMtime(join(path, entry))),
    stat.mtimeMs,
  );
}

/** True when `.next` holds a production build newer than every source file. */
export function buildIsCurrent(webDir: string): boolean {
  const buildId = join(webDir, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  const built = statSync(buildId).mtimeMs;
  return BUILD_INPUTS.every((p) => !existsSync(join(webDir, p)) || newestMtime(join(webDir, p)) < built);
}

/** Runs `next build` in `webDir` (about a minute on two cores); rejects with the tail of its output. */
export function runNextBuild(webDir: string): Promise<void> {
  const nextBin = createRequire(join(webDir, 'package.json')).resolve('next/dist/bin/next');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, 'build'], {
      cwd: webDir,
      env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code}):\n${output}`)),
    );
  });
}
