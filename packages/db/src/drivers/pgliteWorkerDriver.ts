import { mkdir } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import type { Driver, Executor, QueryResult } from '../driver.ts';

type ErrorFields = Record<string, string | number | boolean> & { message: string };
type Reply =
  | { type: 'ready' }
  | { type: 'failed'; error: ErrorFields }
  | { type: 'result'; id: number; rows?: unknown[]; rowCount?: number; tx?: number }
  | { type: 'error'; id: number; error: ErrorFields };
type Request =
  | { op: 'query'; sql: string; params: unknown[]; tx: number | undefined }
  | { op: 'exec'; sql: string; tx: number | undefined }
  | { op: 'begin' }
  | { op: 'commit' | 'rollback'; tx: number }
  | { op: 'close' };
type Result = Extract<Reply, { type: 'result' }>;

/** A database error as the in-process driver would throw it: the SQLSTATE `code`, detail, table... kept. */
function toError(fields: ErrorFields): Error {
  return Object.assign(new Error(fields.message), fields);
}

/**
 * The embedded database (PGlite) on a thread of its own, behind the same Driver interface: PGlite executes
 * synchronously in whichever thread owns it, so in the server's main thread every write would hold up all
 * requests and live subscribers for its whole duration. Rows cross by structured clone, which keeps the
 * types the repositories expect (Uint8Array, Date, parsed jsonb, number[]).
 */
export async function openPGliteWorkerDriver(options: { dataDir?: string } = {}): Promise<Driver> {
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  const worker = new Worker(new URL('./pgliteWorker.mjs', import.meta.url), {
    workerData: { dataDir: options.dataDir },
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (reply: Reply) => {
      settle();
      if (reply.type === 'ready') resolve();
      else reject(reply.type === 'failed' ? toError(reply.error) : new Error('unexpected first message'));
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    const onExit = (code: number) => onError(new Error(`the embedded database thread exited (code ${code})`));
    const settle = () => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });

  const pending = new Map<number, { resolve(result: Result): void; reject(error: Error): void }>();
  let gone: Error | undefined;
  let nextId = 1;
  const failAll = (error: Error) => {
    gone ??= error;
    for (const call of pending.values()) call.reject(gone);
    pending.clear();
  };
  worker.on('message', (reply: Reply) => {
    if (reply.type !== 'result' && reply.type !== 'error') return;
    const call = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.type === 'result') call?.resolve(reply);
    else call?.reject(toError(reply.error));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`the embedded database thread exited (code ${code})`)));

  const call = (request: Request) =>
    new Promise<Result>((resolve, reject) => {
      if (gone) return reject(gone);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });

  /** `tx` undefined: the root executor; otherwise one open transaction, which nested calls reuse. */
  const executor = (tx: number | undefined): Executor => {
    const self: Executor = {
      async query<Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<Row>> {
        const reply = await call({ op: 'query', sql, params: [...params], tx });
        return { rows: (reply.rows ?? []) as Row[], rowCount: reply.rowCount ?? 0 };
      },
      async exec(sql: string): Promise<void> {
        await call({ op: 'exec', sql, tx });
      },
      async transaction(fn) {
        if (tx !== undefined) return fn(self);
        const opened = (await call({ op: 'begin' })).tx!;
        let result: Awaited<ReturnType<typeof fn>>;
        try {
          result = await fn(executor(opened));
        } catch (error) {
          await call({ op: 'rollback', tx: opened }).catch(() => {});
          throw error;
        }
        await call({ op: 'commit', tx: opened });
        return result;
      },
    };
    return self;
  };

  return {
    kind: 'pglite',
    ...executor(undefined),
    async close() {
      if (!gone) await call({ op: 'close' });
      gone ??= new Error('the embedded database is closed');
      await worker.terminate();
    },
  };
}
