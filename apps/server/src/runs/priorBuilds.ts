import { type PriorLocation, priorFolder, priorStored } from '../jobs/thread/priorLocation.ts';
import { isPriorProgress, type PriorProgressMessage } from '../jobs/thread/realismMessages.ts';
import type { WorkerPool } from '../jobs/workerPool.ts';

type Listener = (progress: PriorProgressMessage) => void;

interface Build {
  done: Promise<void>;
  listeners: Set<Listener>;
  last?: PriorProgressMessage;
}

/**
 * Builds each dataset's prior once, as a job on this process's pool: every run that asks while it is
 * being built waits for the same build and hears its progress (a late one first hears where it stands).
 */
export class PriorBuilds {
  private readonly building = new Map<string, Build>();

  constructor(
    private readonly pool: WorkerPool,
    private readonly log: (line: string) => void,
  ) {}

  /** Resolves once the prior is stored (at once when it already is); rejects when its build fails. */
  async ready(location: PriorLocation, onProgress: Listener): Promise<void> {
    const folder = priorFolder(location);
    let build = this.building.get(folder);
    if (!build) {
      if (await priorStored(location)) return;
      // Looked again: another run may have started the build while this one checked the disk.
      build = this.building.get(folder) ?? this.start(location, folder);
    }
    if (build.last) onProgress(build.last);
    build.listeners.add(onProgress);
    try {
      await build.done;
    } finally {
      build.listeners.delete(onProgress);
    }
  }

  private start(location: PriorLocation, folder: string): Build {
    const listeners = new Set<Listener>();
    const build: Build = { listeners, done: Promise.resolve() };
    this.log(`prior ${location.dataset} (${location.sample}): building into ${folder}`);
    const handle = this.pool.submit(
      { kind: 'prior', jobId: `prior:${folder}`, location },
      {
        onEvent: (event) => {
          if (!isPriorProgress(event)) return;
          build.last = event;
          for (const listener of listeners) listener(event);
        },
      },
    );
    build.done = handle.done
      .then(() => this.log(`prior ${location.dataset}: stored in ${folder}`))
      .catch((error: Error) => {
        throw new Error(`building the ${location.dataset} prior failed: ${error.message}`);
      })
      .finally(() => this.building.delete(folder));
    this.building.set(folder, build);
    return build;
  }
}
