import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { initBackend } from '../../backend/initBackend.ts';
import { type DatasetName, datasetNames } from '../../data/dataset.ts';
import { loadDataset } from '../../data/loadDataset.ts';
import { ArgmaxError, CancelledError, InvalidArgumentError } from '../../errors.ts';
import { saveModel } from '../../models/saveModel.ts';
import { buildSeedMlp } from '../../models/seedMlp.ts';
import { buildSmallCnn } from '../../models/smallCnn.ts';
import type { DoneEvent } from '../../training/events.ts';
import { train } from '../../training/train.ts';
import type { CliIo, Command } from '../command.ts';

const help = `Usage: argmax train --dataset fashion-mnist|mnist --out DIR [options]

Trains a classifier and saves it in TF.js layers format (DIR/model.json + DIR/weights.bin), with the
run's settings and test accuracy in model.json's userDefinedMetadata. Nothing is written to DIR
unless training and saving succeed.

Options:
  --dataset NAME        fashion-mnist (60,000 train / 10,000 test: per class the first 6,000 images
                        of the fashion-mnist package's class file train, the rest test) or mnist
                        (the original 60,000 / 10,000 split)
  --out DIR             output folder (created; other files in it are kept)
  --arch mlp|cnn        mlp: Flatten → Dense(128, relu) → Dense(10, softmax), the Keras tutorial
                        model (default); cnn: two Conv2D/MaxPool blocks → Dense(64) → Dense(10)
  --epochs N            default 5
  --seed S              seeds the initial weights and the shuffles (default 42)
  --batch-size N        default 32
  --learning-rate LR    Adam learning rate (default 0.001)
  --max-batches N       stop each epoch after N batches (quick smoke runs)
  -h, --help            this text

Progress goes to stderr (a bar on a terminal, one line per epoch otherwise); a JSON summary of
the run goes to stdout. Exit codes: 0 done, 1 failed, 2 bad arguments, 130 interrupted.
`;

interface TrainArgs {
  dataset: DatasetName;
  out: string;
  arch: 'mlp' | 'cnn';
  epochs: number;
  seed: number;
  batchSize: number;
  learningRate: number;
  maxBatches?: number;
}

const flags = [
  '--dataset',
  '--out',
  '--arch',
  '--epochs',
  '--seed',
  '--batch-size',
  '--learning-rate',
  '--max-batches',
] as const;
type Flag = (typeof flags)[number];

/** Strict parsing: every flag known, given once, with a value of the accepted form. */
export function parseTrainArgs(argv: string[]): TrainArgs {
  const values = new Map<Flag, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    if (!(flags as readonly string[]).includes(name!))
      throw new InvalidArgumentError(
        name!.startsWith('-') ? 'option' : 'argument',
        name,
        `one of ${flags.join(', ')} (see argmax train --help)`,
      );
    const flag = name as Flag;
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--')))
      throw new InvalidArgumentError(flag, undefined, `a value after ${flag}`);
    if (values.has(flag))
      throw new InvalidArgumentError(
        flag,
        value,
        `${flag} once (it was already given ${JSON.stringify(values.get(flag))})`,
      );
    values.set(flag, value);
  }
  const dataset = values.get('--dataset');
  if (dataset === undefined)
    throw new InvalidArgumentError('--dataset', undefined, datasetNames.join(' or '));
  if (!(datasetNames as readonly string[]).includes(dataset))
    throw new InvalidArgumentError('--dataset', dataset, datasetNames.join(' or '));
  const out = values.get('--out');
  if (out === undefined || out === '') throw new InvalidArgumentError('--out', out, 'an output folder');
  const arch = values.get('--arch') ?? 'mlp';
  if (arch !== 'mlp' && arch !== 'cnn') throw new InvalidArgumentError('--arch', arch, 'mlp or cnn');
  const maxBatches = values.get('--max-batches');
  return {
    dataset: dataset as DatasetName,
    out,
    arch,
    epochs: integer(values, '--epochs', 5, 1, 1000),
    seed: integer(values, '--seed', 42, 0, 2 ** 32 - 1),
    batchSize: integer(values, '--batch-size', 32, 1, 65_536),
    learningRate: positive(values, '--learning-rate', 1e-3),
    ...(maxBatches === undefined ? {} : { maxBatches: integer(values, '--max-batches', 1, 1, 1e9) }),
  };
}

function integer(values: Map<Flag, string>, flag: Flag, fallback: number, min: number, max: number): number {
  const text = values.get(flag);
  if (text === undefined) return fallback;
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max)
    throw new InvalidArgumentError(flag, text, `an integer from ${min} to ${max}`);
  return value;
}

function positive(values: Map<Flag, string>, flag: Flag, fallback: number): number {
  const text = values.get(flag);
  if (text === undefined) return fallback;
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!(value > 0 && Number.isFinite(value)))
    throw new InvalidArgumentError(flag, text, 'a finite number > 0');
  return value;
}

async function checkOut(out: string): Promise<void> {
  try {
    if (!(await stat(out)).isDirectory())
      throw new InvalidArgumentError('--out', out, 'a folder path (this is an existing file)');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a Fashion-MNIST or MNIST model and save it in TF.js layers format',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    let args: TrainArgs;
    try {
      args = parseTrainArgs(argv);
      await checkOut(args.out);
    } catch (error) {
      if (!(error instanceof ArgmaxError)) throw error;
      io.stderr(`argmax train: ${error.message}\n`);
      return 2;
    }
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    const progress = progressPrinter(io);
    try {
      const backend = await initBackend(undefined, (line) => io.stderr(`${line}\n`));
      const data = await loadDataset(args.dataset, {
        signal: controller.signal,
        onProgress: (p) => progress.line(`loading ${p.dataset}: ${p.filesDone}/${p.filesTotal} files`),
      });
      progress.done(`loaded ${data.name}: ${data.train.count} training, ${data.test.count} test images`);
      const model =
        args.arch === 'cnn' ? buildSmallCnn({ seed: args.seed }) : buildSeedMlp({ seed: args.seed });
      model.name = `${data.name.replace('-', '_')}_${args.arch}`;
      let done: DoneEvent | undefined;
      for await (const event of train(model, data.train, {
        epochs: args.epochs,
        seed: args.seed,
        batchSize: args.batchSize,
        learningRate: args.learningRate,
        test: data.test,
        signal: controller.signal,
        progressIntervalMs: io.isTTY ? 200 : 60_000,
        ...(args.maxBatches === undefined ? {} : { batchesPerEpoch: args.maxBatches }),
        log: (line) => progress.done(line),
      })) {
        if (event.type === 'batch' && io.isTTY) {
          const width = 24;
          const filled = Math.round((event.batch / event.batches) * width);
          progress.line(
            `epoch ${event.epoch}/${args.epochs} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` +
              `${event.batch}/${event.batches} loss ${event.loss.toFixed(4)} accuracy ${event.accuracy.toFixed(4)} ` +
              `${Math.round(event.examplesPerSecond)} examples/s`,
          );
        } else if (event.type === 'epoch') {
          progress.done(
            `epoch ${event.epoch}/${event.epochs} loss ${event.loss.toFixed(4)} accuracy ${event.accuracy.toFixed(4)} ` +
              `test_loss ${event.testLoss?.toFixed(4)} test_accuracy ${event.testAccuracy?.toFixed(4)} ` +
              `${event.seconds.toFixed(1)} s (+${event.evalSeconds?.toFixed(1)} s test)`,
          );
        } else if (event.type === 'done') {
          done = event;
        }
      }
      const metadata = {
        dataset: data.name,
        arch: args.arch,
        epochs: args.epochs,
        seed: args.seed,
        batchSize: args.batchSize,
        learningRate: args.learningRate,
        ...(args.maxBatches === undefined ? {} : { batchesPerEpoch: args.maxBatches }),
        trainLoss: done!.loss,
        trainAccuracy: done!.accuracy,
        testLoss: done!.testLoss,
        testAccuracy: done!.testAccuracy,
        backend: done!.backend,
        wasm: backend.name === 'wasm' ? { simd: backend.simd, threads: backend.threads } : undefined,
        loop: done!.loop,
        seconds: done!.seconds,
        trainedAt: new Date().toISOString(),
        classNames: [...data.classNames],
        split:
          data.name === 'fashion-mnist'
            ? 'per class, the first 6,000 images of fashion-mnist/src/clothes/<class>.json train, the rest test (empty entries skipped)'
            : 'the original MNIST split',
      };
      // The folder is not part of the metadata: the committed seed model must not name a machine's path.
      await saveModel(model, args.out, { argmax: metadata });
      io.stdout(`${JSON.stringify({ out: resolve(args.out), ...metadata })}\n`);
      return 0;
    } catch (error) {
      progress.done();
      if (error instanceof CancelledError) {
        io.stderr('argmax train: interrupted; nothing was written\n');
        return 130;
      }
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      io.stderr(`argmax train: ${message}; nothing was written to ${args.out}\n`);
      return 1;
    } finally {
      process.removeListener('SIGINT', interrupt);
    }
  },
};

/** One rewritable status line on a terminal; plain lines (only the final ones) elsewhere. */
function progressPrinter(io: CliIo) {
  let open = false;
  return {
    line(text: string) {
      if (!io.isTTY) return;
      io.stderr(`\r\x1b[2K${text}`);
      open = true;
    },
    done(text?: string) {
      if (open) io.stderr('\r\x1b[2K');
      open = false;
      if (text !== undefined) io.stderr(`${text}\n`);
    },
  };
}
