import { type CertificateBound, isFinalStatus, type RunCertificate } from '@argmax/db';
import type { RunBoundEvent } from '../../pubsub/eventBus.ts';
import type { RunSpec } from '../runSpec.ts';

export const CERTIFICATE_REGIONS = ['BOX', 'PRIOR'] as const;
export type CertificateRegion = (typeof CERTIFICATE_REGIONS)[number];

/** What a run's certificate bounds: the set its search in a prior looked in, or the box and constraints. */
export const certificateRegion = (spec: Pick<RunSpec, 'prior'>): CertificateRegion =>
  spec.prior ? 'PRIOR' : 'BOX';

/** A certificate as the API gives it: the stored one, and the region it bounds (from the run's request). */
export type CertificateView = RunCertificate & { region: CertificateRegion };

const FINAL_CERTIFICATE: ReadonlySet<string> = new Set(['DONE', 'UNSUPPORTED', 'OFF', 'STOPPED']);
export const isFinalCertificate = (status: string) => FINAL_CERTIFICATE.has(status);

/**
 * The certificate as clients see it: one its run left unfinished (the server stopped mid-run) reads as
 * STOPPED, with the bound it had reached, instead of waiting forever.
 */
export function certificateAsSeen(certificate: RunCertificate, runStatus: string): RunCertificate {
  if (isFinalCertificate(certificate.status) || !isFinalStatus(runStatus)) return certificate;
  return {
    ...certificate,
    status: 'STOPPED',
    reason: certificate.reason ?? 'the run ended before its certificate was finished',
  };
}

export type CertificateFigures = Pick<
  RunCertificate,
  'status' | 'upperBound' | 'bestValue' | 'gap' | 'method' | 'seconds' | 'proven' | 'reason'
>;

/** A certificate's state as a run event; a final one ends the stream of bounds (`index`: the history's length). */
export function certificateEvent(
  runId: string,
  index: number,
  certificate: CertificateFigures,
  publishedAt: number | null,
): RunBoundEvent {
  return {
    type: 'bound',
    runId,
    index,
    status: certificate.status,
    upperBound: certificate.upperBound,
    bestValue: certificate.bestValue,
    gap: certificate.gap,
    method: certificate.method,
    seconds: certificate.seconds,
    proven: certificate.proven,
    reason: certificate.reason,
    publishedAt,
  };
}

/** The certificate's final word as a run event (`index`: the history's length); null while it is not final. */
export function finalWordEvent(
  runId: string,
  certificate: RunCertificate,
  publishedAt: number | null,
): RunBoundEvent | null {
  return isFinalCertificate(certificate.status)
    ? certificateEvent(runId, certificate.history.length, certificate, publishedAt)
    : null;
}

/** Point `index` of the bound history, as a run event. */
export function boundPointEvent(
  runId: string,
  index: number,
  point: CertificateBound,
  publishedAt: number | null,
): RunBoundEvent {
  return certificateEvent(
    runId,
    index,
    { ...point, status: 'RUNNING', proven: null, reason: null },
    publishedAt,
  );
}
