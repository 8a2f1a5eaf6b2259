import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const initBackendFile = fileURLToPath(new URL('./initBackend.ts', import.meta.url));

/** A fresh process (the backend starts once per process) that starts wasm and answers what it got. */
async function startedWith(threads: string): Promise<{ threads: number; own: boolean }> {
  const dir = await mkdtemp(join(tmpdir(), 'argmax-threads-'));
  try {
    const script = join(dir, 'start.mjs');
    await writeFile(
      script,
      `import { initBackend, workIsOnCallingThread } from ${JSON.stringify(initBackendFile)};
const info = await initBackend('wasm', () => {});
console.log(JSON.stringify({ threads: info.threads, own: workIsOnCallingThread() }));\n`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, ARGMAX_WASM_THREADS: threads },
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('workIsOnCallingThread', () => {
  it('is true for wasm on one thread, false where an XNNPACK pool shares the work', async () => {
    expect(await startedWith('1')).toEqual({ threads: 1, own: true });
    expect(await startedWith('2')).toEqual({ threads: 2, own: false });
  });
});
