/**
 * Bench helper, run as its own process so the attacker's CPU is not charged to the server: on `go` (a line
 * on stdin) sends N wrong sign-ins at once, cycling over the given emails, from one client, and prints how
 * they were answered as one JSON line.
 * Usage: tsx scripts/wrongSignIns.ts URL N EMAIL[,EMAIL…]
 */
import { once } from 'node:events';
import { ApiClient } from '@argmax/server/testing/apiClient';

const [url, count, emails] = process.argv.slice(2);
if (!url || !count || !emails) throw new Error('usage: wrongSignIns.ts URL N EMAIL[,EMAIL…]');
const targets = emails.split(',');
const client = new ApiClient(url);
const query = 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { id } }';
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const started = performance.now();
const answers = await Promise.all(
  Array.from({ length: Number(count) }, (_, i) =>
    client
      .request(query, { e: targets[i % targets.length], p: `wrong guess ${i}` })
      .then((r) => r.errors?.[0]?.extensions?.code ?? 'ok')
      .catch((error: Error) => `transport: ${error.message}`),
  ),
);
const codes: Record<string, number> = {};
for (const code of answers) codes[code] = (codes[code] ?? 0) + 1;
process.stdout.write(`${JSON.stringify({ codes, seconds: (performance.now() - started) / 1000 })}\n`);
process.exit(0);
