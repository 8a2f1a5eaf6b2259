import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from './workerPool.ts';

/** Nice value of each thread of this process (Linux: field 19 of /proc/self/task/TID/stat). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe.runIf(process.platform === 'linux')('job threads', () => {
  it('run at the configured lower priority while this thread keeps its own', async () => {
    const pool = new WorkerPool(1, 7);
    try {
      const before = threadNiceValues();
      expect(before.filter((n) => n === 7)).toHaveLength(0);
      // Any job starts the thread; a file that is no model fails fast.
      const job = pool.submit(
        { kind: 'import', jobId: 'nice', files: [{ name: 'x.keras', bytes: new Uint8Array(8) }] },
        { onEvent: () => {} },
      );
      await job.done.catch(() => {});
      expect(threadNiceValues().filter((n) => n === 7).length).toBeGreaterThanOrEqual(1);
      expect(threadNiceValues()[0]).toBe(0); // the main thread (its TID is the PID, listed first)
    } finally {
      await pool.stop();
    }
  });
});
