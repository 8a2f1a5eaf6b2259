import type { ResultOf } from 'gql.tada';
import type { RunEventsSubscription } from './runQueries.ts';

/** A run's certificate as the live page shows it: loaded with the run, then moved by `RunBoundEvent`s. */
export interface CertificateView {
  status: string;
  upperBound: number | null;
  bestValue: number | null;
  gap: number | null;
  proven: boolean | null;
  method: string | null;
  reason: string | null;
  seconds: number | null;
  timeLimitSeconds?: number;
  history: readonly CertificatePoint[];
}

export interface CertificatePoint {
  seconds: number;
  upperBound: number;
  bestValue: number | null;
  gap: number | null;
  method: string;
}

/** A `RunBoundEvent` as the subscription selects it (types generated from the schema). */
export type BoundEventData = Extract<
  ResultOf<typeof RunEventsSubscription>['runEvents'],
  { __typename: 'RunBoundEvent' }
>;

/**
 * Folds one bound event in (pure). A RUNNING event is history point `index`: appended once, repeats
 * skipped; a final one (DONE, UNSUPPORTED, OFF, STOPPED) sets the outcome and keeps the history.
 */
export function applyBoundEvent(current: CertificateView | null, event: BoundEventData): CertificateView {
  const history = current?.history ?? [];
  const isPoint =
    event.certificateStatus === 'RUNNING' && event.upperBound !== null && event.seconds !== null;
  if (isPoint && event.index < history.length) return current!;
  return {
    ...(current ?? {}),
    status: event.certificateStatus,
    upperBound: event.upperBound,
    bestValue: event.bestValue,
    gap: event.gap,
    proven: event.proven,
    method: event.method,
    reason: event.reason,
    seconds: event.seconds,
    history: isPoint
      ? [
          ...history,
          {
            seconds: event.seconds!,
            upperBound: event.upperBound!,
            bestValue: event.bestValue,
            gap: event.gap,
            method: event.method ?? '',
          },
        ]
      : history,
  };
}

/** The gap as people read it: a percentage with three significant digits. */
export function formatGap(gap: number | null | undefined): string {
  if (gap === null || gap === undefined || !Number.isFinite(gap)) return '—';
  if (gap === 0) return '0 %';
  return `${Number((gap * 100).toPrecision(3))} %`;
}

/** Whether the certificate has ended proving the run's best value the optimum (within its tolerance). */
export function isProvenOptimal(certificate: CertificateView | null | undefined): boolean {
  return certificate?.status === 'DONE' && certificate.proven === true;
}

/** One line for tables and comparisons: the gap, or why there is none yet. */
export function describeCertificate(certificate: CertificateView | null | undefined): string {
  if (!certificate) return 'no certificate';
  switch (certificate.status) {
    case 'PENDING':
      return 'certificate pending';
    case 'UNSUPPORTED':
    case 'OFF':
      return `no certificate: ${certificate.reason ?? 'no reason given'}`;
    default:
      if (certificate.upperBound === null) return `no certificate: ${certificate.reason ?? 'stopped'}`;
      return isProvenOptimal(certificate)
        ? `${formatGap(certificate.gap)} (proven optimal)`
        : `${formatGap(certificate.gap)}${certificate.status === 'DONE' ? '' : ` (${certificate.status.toLowerCase()})`}`;
  }
}
