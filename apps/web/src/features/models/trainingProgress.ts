/** Training progress folded from `trainingEvents` (kind + JSON payload, see the core's TrainEvent). */
export interface TrainingProgressState {
  status: string | null;
  error: string | null;
  epochs: number | null;
  /** Fraction of all batches done, 0..1. */
  fraction: number;
  examplesPerSecond: number | null;
  /** Running loss/accuracy within epochs, at fractional epochs (1.5 = half-way through epoch 2). */
  batchPoints: readonly { x: number; loss: number; accuracy: number }[];
  epochPoints: readonly EpochPoint[];
  final: {
    loss: number;
    accuracy: number;
    testLoss: number | null;
    testAccuracy: number | null;
    seconds: number;
  } | null;
}

export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy: number;
  testLoss: number | null;
  testAccuracy: number | null;
}

export const emptyTraining: TrainingProgressState = {
  status: null,
  error: null,
  epochs: null,
  fraction: 0,
  examplesPerSecond: null,
  batchPoints: [],
  epochPoints: [],
  final: null,
};

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function applyTrainingEvent(
  state: TrainingProgressState,
  event: { kind: string; payload: unknown },
): TrainingProgressState {
  const p = (event.payload ?? {}) as Record<string, unknown>;
  switch (event.kind) {
    case 'status':
      return {
        ...state,
        status: typeof p.status === 'string' ? p.status : state.status,
        error: typeof p.error === 'string' ? p.error : null,
      };
    case 'batch': {
      const epoch = num(p.epoch);
      const batch = num(p.batch);
      const batches = num(p.batches);
      const loss = num(p.loss);
      const accuracy = num(p.accuracy);
      if (epoch === null || batch === null || !batches || loss === null || accuracy === null) return state;
      const x = epoch - 1 + batch / batches;
      return {
        ...state,
        status: state.status === 'QUEUED' || state.status === null ? 'RUNNING' : state.status,
        fraction: state.epochs ? Math.min(1, x / state.epochs) : state.fraction,
        examplesPerSecond: num(p.examplesPerSecond) ?? state.examplesPerSecond,
        batchPoints: [...state.batchPoints, { x, loss, accuracy }],
      };
    }
    case 'epoch': {
      const epoch = num(p.epoch);
      const epochs = num(p.epochs);
      const loss = num(p.loss);
      const accuracy = num(p.accuracy);
      if (epoch === null || loss === null || accuracy === null) return state;
      const total = epochs ?? state.epochs;
      return {
        ...state,
        epochs: total,
        fraction: total ? Math.min(1, epoch / total) : state.fraction,
        epochPoints: [
          ...state.epochPoints.filter((e) => e.epoch !== epoch),
          { epoch, loss, accuracy, testLoss: num(p.testLoss), testAccuracy: num(p.testAccuracy) },
        ],
      };
    }
    case 'done': {
      const loss = num(p.loss);
      const accuracy = num(p.accuracy);
      const seconds = num(p.seconds);
      if (loss === null || accuracy === null || seconds === null) return state;
      return {
        ...state,
        fraction: 1,
        final: { loss, accuracy, testLoss: num(p.testLoss), testAccuracy: num(p.testAccuracy), seconds },
      };
    }
    default:
      return state;
  }
}

/** Seconds left, from the time spent so far and the fraction done; null until there is a basis. */
export function etaSeconds(fraction: number, elapsedSeconds: number): number | null {
  if (fraction <= 0.01 || fraction >= 1 || elapsedSeconds <= 0) return null;
  return (elapsedSeconds / fraction) * (1 - fraction);
}
