import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
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

/** A lock this old is a build that died (a build takes about a minute; minutes under load). */
const staleLockMs = 15 * 60_000;

/**
 * Builds when `.next` is not current, one process at a time; true when this call built. Two e2e test files
 * (or a test and `npm start`) that found the build stale together both ran `next build`, and Next refused
 * the second ("Another next build process is already running"). The lock is a directory beside `.next`
 * (creating one is atomic); a process that finds it waits and looks again, and uses the build it finds.
 */
export async function ensureBuild(webDir: string, onBuild: () => void = () => {}): Promise<boolean> {
  const lock = join(webDir, '.next-build.lock');
  for (;;) {
    if (buildIsCurrent(webDir)) return false;
    try {
      mkdirSync(lock);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > staleLockMs) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 1000));
      continue;
    }
    try {
      if (buildIsCurrent(webDir)) return false;
      onBuild();
      await runNextBuild(webDir);
      return true;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
