/** Emitted at most every `progressIntervalMs` during an epoch; loss and accuracy are the epoch's running means. */
export interface BatchEvent {
  type: 'batch';
  /** 1-based. */
  epoch: number;
  /** Batches done in this epoch (1-based). */
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  examplesPerSecond: number;
}

/** After each epoch; test metrics when a test split was given. */
export interface EpochEvent {
  type: 'epoch';
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  testLoss?: number;
  testAccuracy?: number;
  /** Training time of the epoch, without the evaluation. */
  seconds: number;
  /** Time spent evaluating the test split. */
  evalSeconds?: number;
}

/** Which implementation trained the model (see `train`). */
export type TrainingLoop = 'dense' | 'generic';

/** Last event: the final metrics, the backend that ran and the total wall time. */
export interface DoneEvent {
  type: 'done';
  epochs: number;
  loss: number;
  accuracy: number;
  testLoss?: number;
  testAccuracy?: number;
  seconds: number;
  backend: string;
  loop: TrainingLoop;
}

export type TrainEvent = BatchEvent | EpochEvent | DoneEvent;
