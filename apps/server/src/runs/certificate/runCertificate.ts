import type { ModelOutputs, OptimizationResult } from '@argmax/core';
import type { CertificateBound, Storage } from '@argmax/db';
import type { CertificateMessage, CertificateResultMessage } from '../../jobs/thread/certificateMessages.ts';
import type { EventBus } from '../../pubsub/eventBus.ts';
import { boundPointEvent, type CertificateFigures, certificateEvent } from './certificateView.ts';

/** Every bound is kept while there are few; then one per 2 % of the elapsed time (log-spaced). */
const DENSE_POINTS = 100;
const THINNING = 0.02;

interface LiveCertificate {
  writes: Promise<void>;
  /** Bound points stored and published so far: the next point's index. */
  recorded: number;
  last?: CertificateBound;
  /** The latest point thinned out, recorded at the end so the history ends where the bound did. */
  skipped?: CertificateBound;
  better?: { input: Float32Array; value: number; outputs: ModelOutputs; violation: number };
  final: boolean;
}

/**
 * The certificates of the runs this process executes: creates each with its run, stores and publishes
 * every bound the worker reports (the history late joiners replay), records how it ended, and knows when
 * the certifier found a better input than the optimiser.
 */
export class RunCertificates {
  private readonly live = new Map<string, LiveCertificate>();

  constructor(
    private readonly storage: Storage,
    private readonly bus: EventBus,
    private readonly log: (line: string) => void,
  ) {}

  /** A new run's certificate: PENDING until its optimisation ends, or OFF when none was asked for. */
  async open(runId: string, timeLimitSeconds: number): Promise<void> {
    if (!(timeLimitSeconds > 0)) {
      await this.storage.runCertificates.create(runId, {
        timeLimitSeconds: 0,
        status: 'OFF',
        reason: 'not asked for (certify.timeLimitSeconds is 0)',
      });
      return;
    }
    await this.storage.runCertificates.create(runId, { timeLimitSeconds });
  }

  /**
   * Starts following the certificate of a run this process executes (the process that opened it may be
   * another one: an API server, with a worker process executing the run).
   */
  follow(runId: string, timeLimitSeconds: number): void {
    if (timeLimitSeconds > 0) this.live.set(runId, { writes: Promise.resolve(), recorded: 0, final: false });
  }

  onMessage(runId: string, message: CertificateMessage): void {
    const live = this.live.get(runId);
    if (!live || live.final) return;
    if (message.type === 'certificate-result') {
      this.finish(runId, live, message);
      return;
    }
    if (!Number.isFinite(message.upperBound)) return;
    const point: CertificateBound = {
      seconds: message.seconds,
      upperBound: message.upperBound,
      bestValue: finiteOrNull(message.bestValue),
      gap: finiteOrNull(message.gap),
      method: message.method,
    };
    const sinceLast = point.seconds - (live.last?.seconds ?? 0);
    if (live.recorded < DENSE_POINTS || sinceLast >= THINNING * point.seconds)
      this.record(runId, live, point);
    else live.skipped = point;
  }

  /** The run's best: the certifier's input when it beat the optimiser's, else the optimiser's. */
  bestOf(
    runId: string,
    result: OptimizationResult,
  ): { value: number; violation: number; outputs: number[]; input: Float32Array } {
    const best = this.live.get(runId)?.better ?? result;
    return {
      value: best.value,
      violation: best.violation,
      outputs: best.outputs.probabilities ?? best.outputs.raw,
      input: best.input,
    };
  }

  /** Waits for the stored history to catch up with what was published (for late joiners). */
  async flush(runId: string): Promise<void> {
    await this.live.get(runId)?.writes;
  }

  /**
   * Before the run's outcome is stored: a certificate still unfinished becomes STOPPED, and why. Stored
   * only: the run's ending (`endCertificate`) publishes it with the run's final status.
   */
  async settle(runId: string, runStatus: string): Promise<void> {
    const live = this.live.get(runId);
    if (!live) return;
    this.live.delete(runId);
    if (!live.final) {
      const reason = certificateStopReason(runStatus);
      this.finish(runId, live, { type: 'certificate-result', status: 'STOPPED', reason }, false);
    }
    await live.writes;
  }

  private record(runId: string, live: LiveCertificate, point: CertificateBound): void {
    const index = live.recorded++;
    live.last = point;
    live.skipped = undefined;
    this.write(live, `bound ${index}`, runId, () =>
      this.storage.runCertificates.appendBounds(runId, [point]),
    );
    this.bus.publish('run', runId, boundPointEvent(runId, index, point, Date.now()));
  }

  private finish(
    runId: string,
    live: LiveCertificate,
    message: CertificateResultMessage,
    publish = true,
  ): void {
    if (live.skipped) this.record(runId, live, live.skipped);
    let figures: CertificateFigures;
    if (message.status === 'DONE') {
      const final: CertificateBound = {
        seconds: message.seconds,
        upperBound: message.upperBound,
        bestValue: finiteOrNull(message.bestValue),
        gap: finiteOrNull(message.gap),
        method: message.method,
      };
      // The history ends where the certificate does.
      if (!sameBound(live.last, final)) this.record(runId, live, final);
      if (message.better) live.better = message.better;
      figures = { ...final, status: 'DONE', proven: message.proven, reason: null };
      this.write(live, 'the certificate', runId, () =>
        this.storage.runCertificates.finish(runId, {
          ...final,
          status: 'DONE',
          proven: message.proven,
        }),
      );
    } else {
      const last = live.last;
      figures = {
        status: message.status,
        upperBound: last?.upperBound ?? null,
        bestValue: last?.bestValue ?? null,
        gap: last?.gap ?? null,
        method: last?.method ?? null,
        seconds: last?.seconds ?? null,
        proven: null,
        reason: message.reason,
      };
      this.write(live, 'the certificate', runId, () =>
        this.storage.runCertificates.finish(runId, { status: message.status, reason: message.reason }),
      );
    }
    live.final = true;
    if (publish) this.bus.publish('run', runId, certificateEvent(runId, live.recorded, figures, Date.now()));
  }

  private write(live: LiveCertificate, what: string, runId: string, write: () => Promise<unknown>): void {
    live.writes = live.writes.then(write).then(
      () => {},
      (error) => this.log(`run ${runId}: storing ${what} failed: ${error}`),
    );
  }
}

/** Why a certificate its run left unfinished is STOPPED (`runError`: why the run was interrupted). */
export function certificateStopReason(runStatus: string, runError?: string | null): string {
  if (runStatus === 'CANCELLED') return 'the run was cancelled before its certificate was finished';
  if (runStatus === 'SUCCEEDED') return 'the run ended without a certificate';
  if (runStatus === 'INTERRUPTED')
    return `the run was interrupted before its certificate was finished${runError ? `: ${runError}` : ''}`;
  return 'the run failed before its certificate was finished';
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

const sameBound = (a: CertificateBound | undefined, b: CertificateBound) =>
  a !== undefined && a.upperBound === b.upperBound && a.bestValue === b.bestValue && a.method === b.method;
