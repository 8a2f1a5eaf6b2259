import type { OptimizationEvent, OptimizeOptions } from '@argmax/core';
import type { CertificateMessage, CertifyRequest } from './certificateMessages.ts';
import type { PriorLocation } from './priorLocation.ts';
import type { PriorProgressMessage, PriorSearchMessage, RealismMessage } from './realismMessages.ts';
import type { SnapshotPolicy } from './snapshotSchedule.ts';

/** Model weights as they travel to a worker: TF.js layers artefacts, keyed so workers can cache them. */
export interface ModelPayload {
  /** Changes whenever the weights change (id + version), so a cached model is never stale. */
  cacheKey: string;
  modelJson: string;
  weights: Uint8Array;
}

export interface OptimizeJob {
  kind: 'optimize';
  jobId: string;
  model: ModelPayload;
  /** The core's options as plain data (a run's `RunSpec['options']`, which `runs/runSpec.ts` checks fits). */
  options: Omit<OptimizeOptions, 'signal' | 'snapshot' | 'log'>;
  snapshots: SnapshotPolicy;
  /** Certify the result after the optimisation (absent or 0 seconds: no certificate). */
  certify?: CertifyRequest;
  /**
   * The model's dataset prior: searched in (`search`: the main thread has made sure it is built), or only
   * measured against when it is stored (realism of an unconstrained answer).
   */
  prior?: {
    location: PriorLocation;
    search: boolean;
    box: [number, number];
    /** Searching: start from a real image (the user's reference, a training row, else the class's top-scoring one). */
    accentuate?: { reference?: number[]; trainingIndex?: number };
    /** Searching: also this many distinct prototypes. */
    diverse?: number;
  };
}

/** Build a dataset's prior into its folder (once: the main thread never asks twice at a time). */
export interface PriorJob {
  kind: 'prior';
  jobId: string;
  location: PriorLocation;
}

export interface TrainJob {
  kind: 'train';
  jobId: string;
  dataset: 'fashion-mnist' | 'mnist';
  arch: 'mlp' | 'cnn';
  epochs: number;
  seed: number;
  /** Smoke tests and demos: stop each epoch after this many batches. */
  batchesPerEpoch?: number;
}

/** Import an uploaded model (Keras .keras/.h5 or TF.js files) and re-save it in TF.js layers format. */
export interface ImportJob {
  kind: 'import';
  jobId: string;
  files: { name: string; bytes: Uint8Array }[];
}

export type Job = OptimizeJob | TrainJob | ImportJob | PriorJob;

export type ToWorker = { type: 'start'; job: Job } | { type: 'cancel'; jobId: string };

export interface TrainedModel {
  modelJson: string;
  weights: Uint8Array;
  inputShape: number[];
  outputCount: number;
  classNames: string[];
  layerSummary: unknown;
  parameterCount: number;
}

export type FromWorker =
  | { type: 'ready'; backend: string }
  | {
      type: 'event';
      jobId: string;
      event:
        | OptimizationEvent
        | CertificateMessage
        | TrainingEventPayload
        | RealismMessage
        | PriorSearchMessage
        | PriorProgressMessage;
    }
  | { type: 'trained'; jobId: string; model: TrainedModel }
  | { type: 'failed'; jobId: string; name: string; message: string; expected: boolean }
  | { type: 'finished'; jobId: string };

/** Training progress as the worker forwards it (the core's event objects, structured-cloned). */
export interface TrainingEventPayload {
  type: 'batch' | 'epoch' | 'done' | 'start';
  [key: string]: unknown;
}
