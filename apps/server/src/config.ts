import { availableParallelism, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { priorCacheDir } from '@argmax/core';

/** Job threads yield to requests and live subscribers (ServerConfig.jobNice). */
export const DEFAULT_JOB_NICE = 10;

const repositoryRoot = fileURLToPath(new URL('../../..', import.meta.url));

export interface ServerConfig {
  /** 0 picks a free port (tests). */
  port: number;
  host: string;
  /** Embedded database and other local state live here when DATABASE_URL is not set. */
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  /** Namespace of this deployment's Redis channels (default `argmax:`). */
  redisPrefix?: string;
  /** The built-in model's TF.js files; default: the seed model committed in @argmax/core. */
  seedModelDir?: string;
  /** Jobs (runs, training) executing at once; more wait in a queue. */
  maxConcurrentJobs: number;
  /**
   * Linux nice value of the job threads (0–19, default 10): jobs are CPU-bound for long stretches, requests
   * and live subscribers need the CPU for moments, so jobs yield to them when both want a core.
   */
  jobNice?: number;
  /** Names this process on the runs it executes (`Run.worker`); default host:pid. */
  workerId: string;
  /**
   * Where runs and training jobs execute: `in-process` (this server's worker threads, the default) or
   * `redis` (a BullMQ queue drained by worker processes; needs DATABASE_URL and REDIS_URL).
   */
  queue: 'in-process' | 'redis';
  /** Queue workers: a job whose worker stops renewing its lock for this long is stalled. */
  stalledSeconds: number;
  /** API servers with the queue: how often QUEUED rows are handed to it again (Redis may have been away). */
  resubmitSeconds: number;
  /** Worker processes: /healthz, /readyz and /metrics on this port (0: a free one). */
  workerPort: number;
  /** Worker processes, on SIGTERM: how long jobs executing may take to finish before the process exits. */
  workerGraceSeconds: number;
  /** At start, how long to wait for PostgreSQL and Redis to answer before giving up. */
  startupWaitSeconds: number;
  /**
   * Priors (realistic answers): where they are built once and kept (default `<dataDir>/priors`, or
   * `$ARGMAX_CACHE_DIR/priors` as the CLI keeps them), and from how much data. `small` (3,000 training and
   * 300 held-out images, small components and one judge: seconds, not minutes) is for tests and demos; it is
   * kept under its own name so it never stands in for the full prior.
   */
  priors: { dir: string; sample: 'full' | 'small' };
  /** Seconds each run spends on its certificate when the request does not say (0: none). */
  defaultCertifySeconds: number;
  /** Origins allowed to call the API with cookies (the dashboard). */
  corsOrigins: string[];
  /** Set the Secure flag on the session cookie (behind HTTPS). */
  secureCookies: boolean;
  /**
   * Proxies whose `X-Forwarded-For` is believed (IPs, CIDRs or `loopback`); the client address is the
   * nearest one outside this list. Empty (default): the TCP peer is the client, the header is ignored.
   */
  trustedProxies: string[];
  /** Failed sign-ins allowed per account and per client address within the window, then a lock-out. */
  signIn: {
    accountFailures: number;
    clientFailures: number;
    windowSeconds: number;
    lockoutSeconds: number;
  };
  /** Password hashes (argon2id, ~30 ms of a core each) computed at once, and how many may wait for one. */
  passwordHashes: { concurrency: number; queue: number };
  /** The clock of the sign-in limits, in ms (tests move it instead of sleeping). */
  now?: () => number;
  limits: {
    maxStepsTimesRestarts: number;
    maxStepsPerRun: number;
    maxActiveRunsPerUser: number;
    /** Most seconds a run may ask for its certificate. */
    maxCertifySeconds: number;
    maxUploadBytes: number;
    /** A GraphQL request body other than an upload (HTTP), or one graphql-ws message. */
    maxBodyBytes: number;
    maxQueryDepth: number;
    maxAliases: number;
    maxTokens: number;
  };
  log: (line: string) => void;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name}: received ${JSON.stringify(raw)}; expected an integer ≥ 0`);
  return value;
}

function niceFromEnv(env: NodeJS.ProcessEnv): number {
  const nice = intFromEnv(env, 'ARGMAX_JOB_NICE', DEFAULT_JOB_NICE);
  if (nice > 19) throw new Error(`ARGMAX_JOB_NICE: received ${nice}; expected an integer from 0 to 19`);
  return nice;
}

function priorSampleFromEnv(raw: string | undefined): ServerConfig['priors']['sample'] {
  if (raw === undefined || raw === '' || raw === 'full') return 'full';
  if (raw === 'small') return 'small';
  throw new Error(`ARGMAX_PRIOR_SAMPLE: received ${JSON.stringify(raw)}; expected full (default) or small`);
}

function queueFromEnv(raw: string | undefined): ServerConfig['queue'] {
  if (raw === undefined || raw === '' || raw === 'in-process') return 'in-process';
  if (raw === 'redis') return 'redis';
  throw new Error(`ARGMAX_QUEUE: received ${JSON.stringify(raw)}; expected in-process (default) or redis`);
}

/** The distributed queue needs what its processes share: PostgreSQL for rows, Redis for jobs and events. */
export function assertQueueConfig(config: ServerConfig): void {
  if (config.queue !== 'redis') return;
  const missing = [!config.databaseUrl && 'DATABASE_URL', !config.redisUrl && 'REDIS_URL'].filter(Boolean);
  if (missing.length > 0)
    throw new Error(
      `ARGMAX_QUEUE=redis needs ${missing.join(' and ')}: API servers and workers share one PostgreSQL database and one Redis`,
    );
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: intFromEnv(env, 'PORT', 4000),
    host: env.HOST ?? '0.0.0.0',
    // npm and turbo run the server in its package folder: a relative path means one in the repository root.
    dataDir: resolve(repositoryRoot, env.ARGMAX_DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.ARGMAX_REDIS_PREFIX || undefined,
    seedModelDir: env.ARGMAX_SEED_MODEL_DIR || undefined,
    maxConcurrentJobs: intFromEnv(env, 'ARGMAX_MAX_JOBS', availableParallelism()) || 1,
    jobNice: niceFromEnv(env),
    workerId: env.ARGMAX_WORKER_ID || `${hostname()}:${process.pid}`,
    queue: queueFromEnv(env.ARGMAX_QUEUE),
    stalledSeconds: intFromEnv(env, 'ARGMAX_STALLED_SECONDS', 30) || 1,
    resubmitSeconds: intFromEnv(env, 'ARGMAX_QUEUE_RESUBMIT_SECONDS', 15) || 1,
    workerPort: intFromEnv(env, 'ARGMAX_WORKER_PORT', 4100),
    workerGraceSeconds: intFromEnv(env, 'ARGMAX_WORKER_GRACE_SECONDS', 10),
    startupWaitSeconds: intFromEnv(env, 'ARGMAX_STARTUP_WAIT_SECONDS', 120),
    priors: {
      dir: env.ARGMAX_CACHE_DIR
        ? priorCacheDir(env)
        : join(resolve(repositoryRoot, env.ARGMAX_DATA_DIR ?? 'data'), 'priors'),
      sample: priorSampleFromEnv(env.ARGMAX_PRIOR_SAMPLE),
    },
    defaultCertifySeconds: intFromEnv(env, 'ARGMAX_CERTIFY_SECONDS', 10),
    corsOrigins: (env.ARGMAX_CORS_ORIGINS ?? 'http://localhost:3000,http://127.0.0.1:3000')
      .split(',')
      .filter(Boolean),
    secureCookies: env.ARGMAX_SECURE_COOKIES === '1',
    // Loopback by default: `npm start` puts the dashboard's /graphql proxy on this machine, and without trusting
    // it every dashboard user would share one address (and one sign-in limit). Set it empty to trust no proxy.
    trustedProxies: (env.ARGMAX_TRUSTED_PROXIES ?? 'loopback')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
    signIn: {
      accountFailures: intFromEnv(env, 'ARGMAX_SIGNIN_ACCOUNT_FAILURES', 5) || 1,
      clientFailures: intFromEnv(env, 'ARGMAX_SIGNIN_CLIENT_FAILURES', 30) || 1,
      windowSeconds: intFromEnv(env, 'ARGMAX_SIGNIN_WINDOW_SECONDS', 900) || 1,
      lockoutSeconds: intFromEnv(env, 'ARGMAX_SIGNIN_LOCKOUT_SECONDS', 900) || 1,
    },
    passwordHashes: {
      // Half the cores: a burst of sign-ins leaves the other half to everyone else.
      concurrency:
        intFromEnv(env, 'ARGMAX_PASSWORD_HASH_CONCURRENCY', Math.floor(availableParallelism() / 2)) || 1,
      queue: intFromEnv(env, 'ARGMAX_PASSWORD_HASH_QUEUE', 32),
    },
    limits: {
      maxStepsTimesRestarts: intFromEnv(env, 'ARGMAX_MAX_STEPS_X_RESTARTS', 2_000_000),
      maxStepsPerRun: intFromEnv(env, 'ARGMAX_MAX_STEPS', 100_000),
      maxActiveRunsPerUser: intFromEnv(env, 'ARGMAX_MAX_ACTIVE_RUNS_PER_USER', 20),
      maxCertifySeconds: intFromEnv(env, 'ARGMAX_MAX_CERTIFY_SECONDS', 300),
      maxUploadBytes: intFromEnv(env, 'ARGMAX_MAX_UPLOAD_BYTES', 64 * 1024 * 1024),
      maxBodyBytes: intFromEnv(env, 'ARGMAX_MAX_BODY_BYTES', 1024 * 1024) || 1,
      maxQueryDepth: intFromEnv(env, 'ARGMAX_MAX_QUERY_DEPTH', 10),
      maxAliases: intFromEnv(env, 'ARGMAX_MAX_ALIASES', 15),
      maxTokens: intFromEnv(env, 'ARGMAX_MAX_QUERY_TOKENS', 2000),
    },
    log: (line) => console.log(line),
  };
}
