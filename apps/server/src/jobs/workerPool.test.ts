import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from './workerPool.ts';

/** Nice value of one thread of this process (Linux: field 19 of /proc/self/task/TID/stat). */
function threadNice(tid: string | number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

const threadNiceValues = () => readdirSync('/proc/self/task').map(threadNice);

// The test may itself run niced (`nice -n 5 npx vitest …`): every thread starts at the main thread's value,
// so the job threads are asked for 7 more than that, and compared with it.
const mainNice = process.platform === 'linux' ? threadNice(process.pid) : 0;
const jobNice = mainNice + 7;

describe.runIf(process.platform === 'linux' && jobNice <= 19)('job threads', () => {
  it('run at the configured lower priority while the main thread keeps its own', async () => {
    const pool = new WorkerPool(1, jobNice);
    try {
      expect(threadNiceValues().filter((n) => n === jobNice)).toHaveLength(0);
      // Any job starts the thread; a file that is no model fails fast.
      const job = pool.submit(
        { kind: 'import', jobId: 'nice', files: [{ name: 'x.keras', bytes: new Uint8Array(8) }] },
        { onEvent: () => {} },
      );
      await job.done.catch(() => {});
      expect(threadNiceValues().filter((n) => n === jobNice).length).toBeGreaterThanOrEqual(1);
      expect(threadNice(process.pid)).toBe(mainNice); // the main thread's TID is the PID
    } finally {
      await pool.stop();
    }
  });
});
