/**
 * Bench helper, run as its own process so the clients' CPU is not charged to the server: opens N
 * graphql-ws subscriptions to one run and prints what they saw as one JSON line: each live frame's latency
 * (publish → here) and arrival time, and when the subscriptions were opened and all live.
 * Usage: tsx scripts/subscribers.ts URL TOKEN RUN_ID N
 */
import { ApiClient } from '@argmax/server/testing/apiClient';

const [url, token, runId, count] = process.argv.slice(2);
if (!url || !token || !runId || !count) throw new Error('usage: subscribers.ts URL TOKEN RUN_ID N');
const client = new ApiClient(url, token);
const latencies: number[] = [];
const receivedAt: number[] = [];
let frames = 0;
let readyAt = 0;
const query = `subscription($r: ID!) { runEvents(runId: $r) {
  __typename ... on RunStepEvent { step publishedAt image } ... on RunStatusEvent { status } } }`;
let connected = 0;
const openedAt = Date.now();
await Promise.all(
  Array.from({ length: Number(count) }, () => {
    let first = true;
    return client.subscribe<{ runEvents: { publishedAt?: number | null } }>(query, { r: runId }, (e) => {
      // The first event of each stream is the run's current status: the subscription is live.
      if (first) {
        first = false;
        if (++connected === Number(count)) {
          readyAt = Date.now();
          process.stdout.write('ready\n');
        }
        return;
      }
      frames++;
      if (typeof e.runEvents.publishedAt === 'number') {
        latencies.push(Date.now() - e.runEvents.publishedAt);
        receivedAt.push(Date.now());
      }
    }).events;
  }),
);
process.stdout.write(`${JSON.stringify({ latencies, receivedAt, frames, openedAt, readyAt })}\n`);
