import type { ModelOutputs } from '@argmax/core';
import { z } from 'zod';

/** The certifier's default relative tolerance for "proven". */
export const provenWithin = 1e-4;

/** What an optimisation asks of its certificate: wall-clock seconds after it; 0: none. */
export const certifyRequestSchema = z.object({ timeLimitSeconds: z.number() });
export type CertifyRequest = z.infer<typeof certifyRequestSchema>;

/** The certifier's bound moved or its best value rose (the core's progress report, as it is). */
export interface CertificateBoundMessage {
  type: 'certificate-bound';
  method: string;
  upperBound: number;
  bestValue: number;
  gap: number;
  seconds: number;
}

/** How the certificate ended, sent by the worker after the last bound and before the job finishes. */
export type CertificateResultMessage =
  | {
      type: 'certificate-result';
      status: 'DONE';
      method: string;
      upperBound: number;
      bestValue: number;
      gap: number;
      proven: boolean;
      seconds: number;
      /** The certifier's input when it beat the optimiser's (evaluated by the same forward pass). */
      better?: { input: Float32Array; value: number; outputs: ModelOutputs; violation: number };
    }
  /** UNSUPPORTED: the model, objective or constraints cannot be bounded; STOPPED: the certifier failed. */
  | { type: 'certificate-result'; status: 'UNSUPPORTED' | 'STOPPED'; reason: string };

/** Certificate events travel with the optimisation's events of the same job. */
export type CertificateMessage = CertificateBoundMessage | CertificateResultMessage;

export function isCertificateMessage(event: { type: string }): event is CertificateMessage {
  return event.type === 'certificate-bound' || event.type === 'certificate-result';
}
