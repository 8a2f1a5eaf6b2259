// The embedded database in its own thread. PGlite is PostgreSQL compiled to WebAssembly: every statement
// runs synchronously in the thread that owns it, so in the server's main thread each write (≥ 20 ms on disk)
// would stall every request and subscriber. Here it stalls nobody; the main thread talks to it by messages
// (see pgliteWorkerDriver.ts). Plain JavaScript: a worker thread gets no TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

/** Open transactions by id: PGlite's transaction object, how to end it, and how it ended. */
const transactions = new Map();
const ROLLBACK = Symbol('rollback');

/** PostgreSQL's error fields (code, detail, table, constraint...) survive the trip; the class does not. */
function plainError(error) {
  const fields = {};
  if (error && typeof error === 'object') {
    for (const [key, value] of Object.entries(error)) {
      if (['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
    }
  }
  return { ...fields, message: error?.message ?? String(error), name: error?.name ?? 'Error' };
}

let db;
try {
  db = await PGlite.create(workerData.dataDir === undefined ? {} : { dataDir: workerData.dataDir });
} catch (error) {
  parentPort.postMessage({ type: 'failed', error: plainError(error) });
  process.exit(1);
}

const session = (txId) => {
  if (txId === undefined) return db;
  const open = transactions.get(txId);
  if (!open) throw new Error(`transaction ${txId} is not open`);
  return open.tx;
};

async function handle(message) {
  switch (message.op) {
    case 'query': {
      const result = await session(message.tx).query(message.sql, message.params);
      return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
    }
    case 'exec':
      await session(message.tx).exec(message.sql);
      return {};
    case 'begin': {
      // The transaction stays open (PGlite holds it exclusively) until commit or rollback arrives.
      let opened;
      const ready = new Promise((resolve) => {
        opened = resolve;
      });
      const outcome = db.transaction(
        (tx) =>
          new Promise((commit, rollback) => {
            transactions.set(message.id, {
              tx,
              finish: (keep) => (keep ? commit() : rollback(ROLLBACK)),
              outcome: undefined,
            });
            opened();
          }),
      );
      await Promise.race([ready, outcome]); // BEGIN itself may fail
      transactions.get(message.id).outcome = outcome.catch((error) => {
        if (error !== ROLLBACK) throw error;
      });
      return { tx: message.id };
    }
    case 'commit':
    case 'rollback': {
      const open = transactions.get(message.tx);
      if (!open) throw new Error(`transaction ${message.tx} is not open`);
      open.finish(message.op === 'commit');
      try {
        await open.outcome; // a failing COMMIT (a deferred constraint) is the caller's error
      } finally {
        transactions.delete(message.tx);
      }
      return {};
    }
    case 'close':
      await db.close();
      return {};
    default:
      throw new Error(`unknown operation ${message.op}`);
  }
}

parentPort.on('message', (message) => {
  handle(message).then(
    (result) => parentPort.postMessage({ type: 'result', id: message.id, ...result }),
    (error) => parentPort.postMessage({ type: 'error', id: message.id, error: plainError(error) }),
  );
});
parentPort.postMessage({ type: 'ready' });
