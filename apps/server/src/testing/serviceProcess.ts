import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../..', import.meta.url));

export interface ServiceProcess {
  name: string;
  /** The port the process reported it listens on. */
  port: number;
  /** Everything it printed so far. */
  output(): string;
  /** Signals the whole process group (npm, tsx and node alike, as `docker kill` would). */
  kill(signal: NodeJS.Signals): void;
  exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs` when it has not exited. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts one process of the stack from the repository root, as docker-compose.yml does, in its own process
 * group, and resolves once it prints the line `portPattern` matches (its first group: the port).
 */
export async function startServiceProcess(
  name: string,
  command: readonly string[],
  env: Record<string, string>,
  portPattern: RegExp,
  timeoutMs = 110_000,
): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(command[0]!, command.slice(1), {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start in ${timeoutMs} ms:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = portPattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready:\n${output}`));
    });
  });
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };
  return {
    name,
    port,
    output: () => output,
    kill,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      // npm may exit before its children: make sure none is left.
      kill('SIGKILL');
    },
  };
}
