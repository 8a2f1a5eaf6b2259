import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type App, buildApp } from '../app.ts';
import { configFromEnv, type ServerConfig } from '../config.ts';
import { ApiClient } from './apiClient.ts';

export interface TestServer {
  app: App;
  url: string;
  client(): ApiClient;
  /** Signs up a new user (with its personal team) and returns its client and team id. */
  signUp(name: string): Promise<{ client: ApiClient; userId: string; teamId: string; email: string }>;
  close(): Promise<void>;
}

/** A real server on a free port with its own embedded database in a temp dir (or DATABASE_URL when given). */
export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'argmax-server-'));
  const config: ServerConfig = {
    ...configFromEnv({
      ARGMAX_SEED_MODEL_DIR: process.env.ARGMAX_SEED_MODEL_DIR,
      ARGMAX_JOB_NICE: process.env.ARGMAX_JOB_NICE,
    }),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    maxConcurrentJobs: 2,
    // Every certifiable run gets a certificate; 1 s instead of 10 keeps suites that start many runs quick.
    defaultCertifySeconds: 1,
    // The small prior (seconds, not minutes), kept with the server's data; suites that share one pass a folder.
    priors: { dir: join(dataDir, 'priors'), sample: 'small' },
    log: process.env.ARGMAX_TEST_LOG ? (line) => console.error(line) : () => {},
    ...overrides,
  };
  const app = await buildApp(config);
  await app.start(0);
  const url = app.url();
  let users = 0;
  return {
    app,
    url,
    client: () => new ApiClient(url),
    async signUp(name) {
      const client = new ApiClient(url);
      const email = `${name}-${++users}-${Date.now()}@example.com`;
      const { signUp } = await client.data<{ signUp: { id: string } }>(
        'mutation($e: String!, $p: String!, $n: String) { signUp(email: $e, password: $p, displayName: $n) { id } }',
        { e: email, p: 'correct horse battery', n: name },
      );
      const { teams } = await client.data<{ teams: { id: string }[] }>('{ teams { id } }');
      return { client, userId: signUp.id, teamId: teams[0]!.id, email };
    },
    async close() {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
