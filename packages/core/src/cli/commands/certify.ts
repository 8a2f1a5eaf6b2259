import { resolve } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../backend/initBackend.ts';
import { certificateSupport, certify } from '../../certify/certify.ts';
import type { Certificate, CertifyProgress, CertifyResult, CertifySearch } from '../../certify/types.ts';
import { ArgmaxError, CancelledError, InvalidArgumentError, UnsupportedError } from '../../errors.ts';
import { runOptimization } from '../../optimize/optimize.ts';
import { certifyPriorAnswer } from '../../prior/certifyInPrior.ts';
import type { PriorResult } from '../../prior/optimizeInPrior.ts';
import { optimizeWithPrior } from '../../prior/optimizeWithPrior.ts';
import type { Prior } from '../../prior/prior.ts';
import type { ConstraintSpec } from '../../spec/types.ts';
import { parseArgs, parseNumber, splitPair } from '../args.ts';
import { checkOutputPath, writeFilesAtomically } from '../atomicWrite.ts';
import type { CliIo, Command } from '../command.ts';
import { modelArgument, openModelArgument } from '../modelArgument.ts';
import { openPrior, priorArgument, priorCertificateRecord, priorNames } from '../priorOption.ts';
import { progressBar } from '../progressBar.ts';
import { readReferenceFile } from '../referenceFile.ts';
import { checkTarget, parseTarget } from '../targetSpec.ts';

const searches = ['auto', 'bab', 'milp', 'bounds'] as const;

const help = `Usage: argmax certify --model MODEL --target TARGET --out CERT.json [options]

Finds the best input it can (projected Adam, or --incumbent) and a certified upper bound on the
target over the constraints, for ReLU networks (Dense, Conv2D, pooling, BatchNormalization, ...):
"best found v, no input scores above u". With enough time the optimum is proven (v = u).

Options:
  --model PATH          a Keras 3 .keras, a Keras 2 .h5, or a TF.js model.json (or its folder)
  --target TARGET       logit:K    pre-softmax output K
                        margin:K   logit K minus the largest other logit
  --out PATH            certificate JSON: {"bestValue", "upperBound", "gap", "proven", "method",
                        "input", "shape", "seconds", "roundoff", "bounds", ...}; "input" reproduces
                        "bestValue" by a forward pass
  --box LO,HI           bounds of every input value (default 0,1)
  --linf REF.json,EPS   stay within EPS (max-norm) of the reference input {"input": [numbers]}
  --time-limit S        seconds for the bound (default 10); the optimisation before it is extra
  --search NAME         auto (default: branch and bound), bab, milp (HiGHS), bounds (IBP and
                        α-CROWN only, no search)
  --incumbent FILE.json start from this input {"input": [numbers]} (e.g. argmax optimize's result)
                        instead of running projected Adam first
  --prior DATASET       bound what \`argmax optimize --prior DATASET\` can answer: its search runs first
                        (class targets: the class's subspace; the bound covers the scale it kept),
                        then the bound holds over the searched set (bounds ∩ ball): the smaller of
                        the model on the subspace's coordinates over their bounds and the model over
                        each input value's range on that set; "prior" says which, "answerValue" is
                        the realistic answer's value. --box is the clip range. DATASET:vae: the
                        bound holds over the VAE decoder's images of the latent box searched (the
                        smaller of the decoder + model over that box and the model over each input
                        value's range found by interval arithmetic through the decoder).
  -h, --help            this text

gap = (upperBound − bestValue) / |upperBound|. upperBound holds for the exact network and for any
float32 forward pass ("roundoff" is the float32 allowance it includes). proven: bestValue is the
optimum within a relative 1e-4.
A progress bar goes to stderr on a terminal; a one-line JSON summary goes to stdout.
Exit codes: 0 done, 1 failed, 2 bad arguments, input files or no certificate possible, 130 interrupted.
`;

const spec = {
  model: modelArgument,
  target: { kind: 'string', required: true, accepts: 'logit:K or margin:K' },
  out: { kind: 'string', required: true, accepts: 'a certificate .json path' },
  box: { kind: 'string', accepts: 'LO,HI' },
  linf: { kind: 'string', accepts: 'REF.json,EPS' },
  'time-limit': { kind: 'number', min: 0, exclusiveMin: true, max: 86_400 },
  search: { kind: 'choice', values: searches },
  incumbent: { kind: 'string', accepts: 'a JSON file {"input": [numbers]}' },
  prior: { kind: 'choice', values: priorNames },
} as const;

function parseCertifyArgs(argv: string[]) {
  const args = parseArgs(argv, spec, 'argmax certify');
  const target = parseTarget(args.target);
  if (target.kind !== 'logit' && target.kind !== 'margin') {
    throw new InvalidArgumentError(
      '--target',
      args.target,
      'logit:K or margin:K (certificates need an objective linear in the logits; probabilities are not)',
    );
  }
  let box: [number, number] = [0, 1];
  if (args.box !== undefined) {
    const [lo, hi] = splitPair(args.box, '--box', 'LO,HI (two numbers, e.g. 0,1)').map(parseNumber) as [
      number,
      number,
    ];
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
      throw new InvalidArgumentError('--box', args.box, 'LO,HI with two finite numbers, e.g. 0,1');
    }
    if (lo > hi) throw new InvalidArgumentError('--box', args.box, 'LO,HI with LO ≤ HI');
    box = [lo, hi];
  }
  let linf: { path: string; epsilon: number } | undefined;
  if (args.linf !== undefined) {
    const [path, eps] = splitPair(args.linf, '--linf', 'REF.json,EPS');
    const epsilon = parseNumber(eps);
    if (!(epsilon >= 0) || !Number.isFinite(epsilon)) {
      throw new InvalidArgumentError('--linf', args.linf, 'REF.json,EPS with a finite EPS ≥ 0');
    }
    linf = { path, epsilon };
  }
  return { args, target, box, linf };
}

export const certifyCommand: Command = {
  name: 'certify',
  summary: 'certified upper bound (and proven optimum) of a logit or margin over constraints',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const fail = (code: number, message: string) => {
      io.stderr(`argmax certify: ${message.split('\n')[0]}\n`);
      return code;
    };
    let parsed: ReturnType<typeof parseCertifyArgs>;
    let model: tfl.LayersModel | undefined;
    let out: string;
    let constraints: ConstraintSpec;
    let incumbent: Float32Array | undefined;
    let shape: number[];
    let prior: Prior | undefined;
    try {
      parsed = parseCertifyArgs(argv);
      const { args } = parsed;
      out = await checkOutputPath(args.out, '--out');
      await initBackend(undefined, (line) => io.stderr(`${line}\n`));
      model = await openModelArgument(args.model);
      shape = (model.inputs[0]!.shape as (number | null)[]).slice(1).map((d) => d ?? 1);
      const size = shape.reduce((a, b) => a * b, 1);
      checkTarget(model, parsed.target, args.target);
      const unsupported = certificateSupport(model, parsed.target);
      if (unsupported) throw new UnsupportedError(`no certificate: ${unsupported}`);
      constraints = { box: { lo: parsed.box[0], hi: parsed.box[1] } };
      if (parsed.linf) {
        const reference = await readReferenceFile(parsed.linf.path, '--linf', size, shape);
        constraints.linf = { reference, epsilon: parsed.linf.epsilon };
      }
      if (args.incumbent !== undefined) {
        incumbent = Float32Array.from(await readInputFile(args.incumbent, size, shape));
      }
      if (args.prior !== undefined)
        prior = await openPrior(args.prior, model, { linf: args.linf, incumbent: args.incumbent }, io);
    } catch (error) {
      model?.dispose();
      if (error instanceof ArgmaxError) return fail(2, error.message);
      throw error;
    }

    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    const bar = progressBar(io);
    const started = performance.now();
    const { args } = parsed;
    const timeLimitSeconds = args['time-limit'] ?? 10;
    const onProgress = (p: CertifyProgress) => {
      const elapsed = Math.round(performance.now() - certifyStarted);
      bar.update(
        Math.min(elapsed, timeLimitSeconds * 1000),
        timeLimitSeconds * 1000,
        `${p.method} bound ${p.upperBound.toPrecision(6)} best ${p.bestValue.toPrecision(6)} gap ${(100 * p.gap).toFixed(2)}%`,
      );
    };
    let certifyStarted = performance.now();
    try {
      const certifyOptions = {
        objective: parsed.target,
        timeLimitSeconds,
        search: (args.search ?? 'auto') as CertifySearch,
        signal: controller.signal,
        onProgress,
      };
      // Either path finds the best input and certifies it; what follows is theirs alike.
      let result: CertifyResult;
      let optimizeSeconds: number | undefined;
      let priorRecord: ReturnType<typeof priorCertificateRecord> | undefined;
      if (prior) {
        let answer: PriorResult | undefined;
        for await (const event of optimizeWithPrior(
          model,
          { objective: parsed.target, signal: controller.signal },
          prior,
          parsed.box,
          priorArgument(args.prior!).method,
        )) {
          if (event.type === 'done') answer = event.result as PriorResult;
          else bar.update(event.step + 1, event.steps, `optimising ${event.objective.toPrecision(6)}`);
        }
        if (!answer) throw new Error('the search inside the prior ended without a result');
        optimizeSeconds = answer.seconds;
        certifyStarted = performance.now();
        const inPrior = await certifyPriorAnswer(model, prior, answer, parsed.box, certifyOptions);
        if (inPrior.supported) priorRecord = priorCertificateRecord(inPrior, answer, prior);
        result = inPrior;
      } else {
        if (!incumbent) {
          const found = await runOptimization(
            model,
            { objective: parsed.target, constraints, signal: controller.signal },
            (step) => bar.update(step.step + 1, step.steps, `optimising ${step.objective.toPrecision(6)}`),
          );
          incumbent = found.input;
          optimizeSeconds = found.seconds;
        }
        certifyStarted = performance.now();
        result = await certify(model, { ...certifyOptions, constraints, incumbent });
      }
      bar.clear();
      if (!result.supported)
        return fail(2, `no certificate: ${result.reason}; nothing was written to ${args.out}`);
      const record = {
        ...certificateRecord(result, parsed, shape, optimizeSeconds, (performance.now() - started) / 1000),
        ...priorRecord,
      };
      return await writeCertificate(record, result, out, io);
    } catch (error) {
      bar.clear();
      if (error instanceof CancelledError) return fail(130, 'interrupted; nothing was written');
      const message = (error as Error).message;
      return fail(error instanceof ArgmaxError ? 2 : 1, `${message}; nothing was written to ${args.out}`);
    } finally {
      process.removeListener('SIGINT', interrupt);
      model.dispose();
      for (const judge of prior?.judges ?? []) judge.model.dispose();
    }
  },
};

/** Writes CERT.json and prints the one-line summary. */
async function writeCertificate(
  record: { seconds: number },
  result: Pick<Certificate, 'bestValue' | 'upperBound' | 'gap' | 'proven' | 'method'>,
  out: string,
  io: CliIo,
): Promise<number> {
  await writeFilesAtomically([{ path: out, data: `${JSON.stringify(record)}\n` }]);
  io.stdout(
    `${JSON.stringify({
      out,
      bestValue: result.bestValue,
      upperBound: result.upperBound,
      gap: result.gap,
      proven: result.proven,
      method: result.method,
      seconds: record.seconds,
    })}\n`,
  );
  return 0;
}

/** An input file `{"input": [numbers]}` of the model's size (the format of --linf references). */
function readInputFile(path: string, size: number, shape: number[]): Promise<number[]> {
  // Results of `argmax optimize` qualify: they hold "input" among other fields.
  return readReferenceFile(path, '--incumbent', size, shape);
}

/** CERT.json: the certificate with what it is a certificate of. */
function certificateRecord(
  result: Certificate,
  parsed: ReturnType<typeof parseCertifyArgs>,
  shape: number[],
  optimizeSeconds: number | undefined,
  seconds: number,
) {
  const { args } = parsed;
  return {
    bestValue: result.bestValue,
    upperBound: result.upperBound,
    gap: result.gap,
    proven: result.proven,
    method: result.method,
    input: Array.from(result.input),
    shape,
    seconds,
    certifySeconds: result.seconds,
    ...(optimizeSeconds !== undefined ? { optimizeSeconds } : {}),
    incumbent: args.incumbent !== undefined ? resolve(args.incumbent) : 'projected-adam',
    roundoff: result.roundoff,
    bounds: result.bounds,
    ...(result.nodes !== undefined ? { nodes: result.nodes } : {}),
    ...(result.open ? { open: result.open } : {}),
    ...(result.stopped ? { stopped: result.stopped } : {}),
    target: args.target,
    model: resolve(args.model),
    constraints: {
      box: parsed.box,
      ...(parsed.linf
        ? { linf: { reference: resolve(parsed.linf.path), epsilon: parsed.linf.epsilon } }
        : {}),
    },
    timeLimit: args['time-limit'] ?? 10,
  };
}
