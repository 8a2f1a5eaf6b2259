import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { STACK_COMMANDS } from './testing/stackCommands.ts';

// docker-compose.yml cannot be brought up here (no Docker engine): it is checked as a file, and by
// `docker compose config` where the compose plugin is installed. Its API and worker commands must be the
// ones the process tests start, so what the tests prove is what the stack runs.
const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Service {
  command?: string[];
  networks?: { default?: { ipv4_address?: string } };
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  deploy?: { replicas?: number };
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;

const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
const composeAvailable = probe.status === 0;
if (!composeAvailable)
  console.warn(
    `docker compose is not available here (${(probe.stderr || probe.error?.message || '').trim().split('\n')[0]}): docker-compose.yml is checked by reading it, not by \`docker compose config\``,
  );

const packageJson = (dir: string) =>
  JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
    name: string;
    scripts: Record<string, string>;
  };
const workspaces = Object.fromEntries(
  ['apps/server', 'apps/web'].map((dir) => [packageJson(dir).name, packageJson(dir)]),
);

describe('docker-compose.yml', () => {
  it('runs two API servers and the workers with the commands the process tests start', () => {
    expect(services['api-1']?.command).toEqual(STACK_COMMANDS.api);
    expect(services['api-2']?.command).toEqual(STACK_COMMANDS.api);
    expect(services.worker?.command).toEqual(STACK_COMMANDS.worker);
    expect(services.worker?.deploy?.replicas).toBe(2);
    for (const name of ['api-1', 'api-2', 'worker'])
      expect(services[name]?.environment).toMatchObject({
        ARGMAX_QUEUE: 'redis',
        DATABASE_URL: expect.stringMatching(/^postgres:\/\/.*@postgres:5432\//),
        REDIS_URL: 'redis://redis:6379',
      });
  });

  it('runs only npm scripts that exist, and those start the API and worker entry points', () => {
    const rootScripts = packageJson('.').scripts;
    for (const [name, service] of Object.entries(services)) {
      const [program, verb, script, ...rest] = service.command ?? [];
      if (program !== 'npm') continue;
      expect(verb, name).toBe('run');
      const workspace = rest.find((arg) => arg.startsWith('--workspace='))?.slice('--workspace='.length);
      const scripts = workspace ? workspaces[workspace]?.scripts : rootScripts;
      expect(scripts?.[script!], `${name}: npm run ${script} ${rest.join(' ')}`).toBeDefined();
    }
    expect(rootScripts.api).toBe('npm run start --workspace=@argmax/server');
    expect(rootScripts.worker).toBe('npm run worker --workspace=@argmax/server');
    const server = workspaces['@argmax/server']!.scripts;
    expect(server.start).toBe('tsx src/index.ts');
    expect(server.worker).toBe('tsx src/worker.ts');
    expect(existsSync(join(root, 'apps/server/src/worker.ts'))).toBe(true);
  });

  it('has health checks everywhere, a database volume, and a load balancer over both API servers', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api-1', 'api-2', 'lb', 'postgres', 'redis', 'web', 'worker'].sort(),
    );
    for (const [name, service] of Object.entries(services))
      expect(service.healthcheck?.test.length, `${name} health check`).toBeGreaterThan(0);
    expect(services['api-1']?.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(services.worker?.healthcheck?.test.join(' ')).toContain(
      `${services.worker?.environment?.ARGMAX_WORKER_PORT}/readyz`,
    );
    expect(services.postgres?.volumes).toContain('pgdata:/var/lib/postgresql/data');
    expect(compose.volumes).toHaveProperty('pgdata');

    expect(services.lb?.volumes).toContain('./deploy/nginx.conf:/etc/nginx/nginx.conf:ro');
    const nginx = readFileSync(join(root, 'deploy/nginx.conf'), 'utf8');
    const upstream = [...nginx.matchAll(/^\s*server (\S+?:\d+)/gm)].map((m) => m[1]);
    expect(upstream).toEqual(['api-1:4000', 'api-2:4000']);
    expect(nginx).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    expect(services.lb?.ports).toEqual(['4000:8080']);
    expect(services.web?.environment?.ARGMAX_API_URL).toBe('http://lb:8080/graphql');
  });

  it('API servers trust X-Forwarded-For from nginx and the dashboard only', () => {
    const proxies = [services.lb, services.web].map((s) => s?.networks?.default?.ipv4_address);
    for (const name of ['api-1', 'api-2'])
      expect(services[name]?.environment?.ARGMAX_TRUSTED_PROXIES?.split(',')).toEqual(proxies);
    expect(services.worker?.environment?.ARGMAX_TRUSTED_PROXIES).toBeUndefined();
  });

  it.skipIf(!composeAvailable)(
    'is a valid compose file with the same commands (docker compose config)',
    () => {
      const result = spawnSync('docker', ['compose', 'config', '--format', 'json'], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(result.status, result.stderr).toBe(0);
      const resolved = JSON.parse(result.stdout) as { services: Record<string, Service> };
      for (const name of Object.keys(services))
        expect(resolved.services[name]?.command ?? null, name).toEqual(services[name]?.command ?? null);
    },
  );
});
