import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export interface MetricSources {
  /** Runs in each status across the deployment (API servers: one database query per scrape). */
  runsByStatus?: () => Promise<Record<string, number>>;
  /** Jobs waiting for an executor and jobs executing (the distributed queue, or this server's pool). */
  queueDepth: () => Promise<{ waiting: number; active: number }>;
  /** Live run subscriptions served by this process. */
  subscribers?: () => number;
}

/** Optimisation steps per second are averaged over this window. */
const RATE_WINDOW_SECONDS = 10;

/**
 * Prometheus metrics of one process (API server or worker), in its own registry: runs by status, queue
 * depth, steps executed (a counter, and a per-second rate for dashboards without PromQL), subscribers,
 * plus Node's process metrics. A source that fails (database away) leaves its gauge out of that scrape.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly steps: Counter;
  /** Steps counted per whole second, for the rate gauge. */
  private readonly perSecond = new Map<number, number>();

  constructor(sources: MetricSources, role: 'api' | 'worker') {
    this.registry.setDefaultLabels({ role });
    collectDefaultMetrics({ register: this.registry, prefix: 'argmax_' });
    const registers = [this.registry];
    this.steps = new Counter({
      name: 'argmax_run_steps_total',
      help: 'Optimisation steps executed by this process.',
      registers,
    });
    const recentSteps = () => this.recentSteps();
    new Gauge({
      name: 'argmax_run_steps_per_second',
      help: `Optimisation steps executed by this process per second, over the last ${RATE_WINDOW_SECONDS} s.`,
      registers,
      collect() {
        this.set(recentSteps() / RATE_WINDOW_SECONDS);
      },
    });
    new Gauge({
      name: 'argmax_queue_jobs',
      help: 'Jobs (runs, training) waiting for an executor, and executing.',
      labelNames: ['state'],
      registers,
      async collect() {
        this.reset();
        const depth = await sources.queueDepth().catch(() => null);
        if (!depth) return;
        this.set({ state: 'waiting' }, depth.waiting);
        this.set({ state: 'active' }, depth.active);
      },
    });
    const runsByStatus = sources.runsByStatus;
    if (runsByStatus)
      new Gauge({
        name: 'argmax_runs',
        help: 'Runs in each status, across all teams.',
        labelNames: ['status'],
        registers,
        async collect() {
          this.reset();
          const counts = await runsByStatus().catch(() => null);
          for (const [status, count] of Object.entries(counts ?? {})) this.set({ status }, count);
        },
      });
    const subscribers = sources.subscribers;
    if (subscribers)
      new Gauge({
        name: 'argmax_run_subscribers',
        help: 'Live runEvents subscriptions served by this process.',
        registers,
        collect() {
          this.set(subscribers());
        },
      });
  }

  /** Called for every optimisation step this process executes. */
  countStep(): void {
    this.steps.inc();
    const second = Math.floor(Date.now() / 1000);
    const count = this.perSecond.get(second);
    if (count === undefined) this.recentSteps(); // a new second: drop the ones out of the window
    this.perSecond.set(second, (count ?? 0) + 1);
  }

  /** Steps in the last RATE_WINDOW_SECONDS whole seconds; forgets older ones. */
  private recentSteps(): number {
    const now = Math.floor(Date.now() / 1000);
    let sum = 0;
    for (const [second, count] of this.perSecond) {
      if (second < now - RATE_WINDOW_SECONDS) this.perSecond.delete(second);
      else if (second < now) sum += count;
    }
    return sum;
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
