import { resolve } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../../backend/initBackend.ts';
import { cliWasmThreads } from '../../backend/wasmThreads.ts';
import { certificateSupport } from '../../certify/certify.ts';
import { ArgmaxError, CancelledError, InvalidArgumentError, UnsupportedError } from '../../errors.ts';
import { encodeGif } from '../../image/encodeGif.ts';
import { encodePng } from '../../image/encodePng.ts';
import { imageStrip } from '../../image/imageStrip.ts';
import { jointInputShape } from '../../network/jointInputShape.ts';
import { optimize } from '../../optimize/optimize.ts';
import { maxRestarts, maxSteps, methodDefaults, methodNames } from '../../optimize/resolveOptions.ts';
import { smallNetworkStartFactor, smallNetworkWeights } from '../../optimize/timeBudget.ts';
import { accentuate } from '../../prior/accentuate.ts';
import { certifyPriorAnswer } from '../../prior/certifyInPrior.ts';
import { diversePrototypes } from '../../prior/diversePrototypes.ts';
import type { PriorResult } from '../../prior/optimizeInPrior.ts';
import { optimizeWithPrior } from '../../prior/optimizeWithPrior.ts';
import type { PriorCertificate } from '../../prior/priorCertificate.ts';
import { resultFrontier } from '../../prior/realismFrontier.ts';
import type { ConstraintSpec, OptimizationResult, OptimizeOptions } from '../../spec/types.ts';
import { parseArgs, parseNumber, splitPair } from '../args.ts';
import { checkOutputPath, writeFilesAtomically } from '../atomicWrite.ts';
import type { CliIo, Command } from '../command.ts';
import { frontierClass, frontierRecord } from '../frontierOption.ts';
import { modelArgument, openModelArgument } from '../modelArgument.ts';
import {
  accentuateClass,
  diverseClass,
  diverseRecord,
  openPrior,
  priorArgument,
  priorNames,
  priorRecord,
} from '../priorOption.ts';
import { progressBar } from '../progressBar.ts';
import { readReferenceFile, readReferenceImage } from '../referenceFile.ts';
import { checkTarget, parseTarget, targetForms } from '../targetSpec.ts';

/** `--certify` needs a prior and an objective the certifier takes (checked before any search runs). */
function checkPriorCertificate(
  priorName: string | undefined,
  model: tfl.LayersModel,
  target: OptimizeOptions['objective'],
): void {
  if (priorName === undefined)
    throw new InvalidArgumentError(
      '--certify',
      'without --prior',
      '--certify with --prior (else: argmax certify)',
    );
  if (target.kind !== 'logit' && target.kind !== 'margin')
    throw new InvalidArgumentError(
      '--certify',
      target.kind,
      'a logit:K or margin:K target (certificates need an objective linear in the logits)',
    );
  const unsupported = certificateSupport(model, target);
  if (unsupported) throw new UnsupportedError(`--certify: no certificate: ${unsupported}`);
}

/** Each method's default, in the order --method lists them. */
const defaultsOf = (key: 'steps' | 'restarts') => methodNames.map((m) => methodDefaults[m][key]).join(', ');

const help = `Usage: argmax optimize --model MODEL --target TARGET --out RESULT.json [options]

Finds the input that maximises one output of a model, under constraints, and writes it
with its value to RESULT.json. Nothing is written unless the whole run succeeds.

Options:
  --model PATH          a Keras 3 .keras, a Keras 2 .h5, or a TF.js model.json (or its folder)
  --target TARGET       logit:K      pre-softmax output K
                        prob:K       softmax probability of class K
                        logprob:K    log-probability of class K
                        margin:K     logit K minus the largest other logit
                        unit:LAYER:INDEX  one unit of a named layer's output (flat index)
  --out PATH            result JSON: {"input", "shape", "value", "outputs", "violation", "backend",
                        "method", "steps", "restarts", "seconds", ...}
  --method NAME         projected-adam (default: projected multi-start Adam, exact polish for ReLU
                        MLPs, never leaves the constraints), normalized-gradient-ascent (L2-normalised
                        gradient steps; may leave the box: see "violation"), trainable-input-layer
                        (a trainable Dense layer in front of the frozen model)
  --box LO,HI           bounds of every input value (default 0,1)
  --linf REF.json,EPS   stay within EPS (max-norm) of the reference input {"input": [numbers]}
  --l2 REF.json,EPS     stay within EPS (Euclidean norm) of the reference input
  --steps N             optimisation steps (method default: ${defaultsOf('steps')})
  --restarts B          starts optimised together (method default: ${defaultsOf('restarts')};
                        projected-adam: ${smallNetworkStartFactor * methodDefaults['projected-adam'].restarts} for a network of ≤ ${smallNetworkWeights.toLocaleString('en')} weights without
                        convolution or pooling)
  --time-budget SEC     projected-adam without --steps/--restarts: seconds for the gradient steps
                        (default 4); when the default starts × 80 steps do not fit the step cost
                        measured on this model, only the best 48 starts go on after 3 steps, the
                        best 24 after 9 and the best 8 after 23, to 120 steps, the starts halved
                        until that fits (then 8, steps cut)
  --seed S              random seed (default 0); equal seeds give equal results
  --quantize LEVELS     round the answer to LEVELS evenly spaced values in the box (e.g. 256)
  --no-polish           skip the exact polish of ReLU MLPs (projected-adam)
  --prior DATASET       search only realistic inputs: the data subspace of fashion-mnist or mnist
                        (built once into $ARGMAX_CACHE_DIR/priors, default ~/.cache/argmax/priors);
                        DATASET:vae (e.g. fashion-mnist:vae) searches the latent code of a VAE
                        trained on the dataset instead (trained once into the prior's folder);
                        RESULT.json then has "realism" (nearest training image, manifold distance,
                        independent classifiers' labels) and "latent"
  --diverse COUNT       with --prior and a class target: also COUNT (2-8) different realistic answers
                        from one search, strongest first, in RESULT.json's "diverse"; --png then
                        draws them side by side
  --frontier            with --prior and a class target: also the price of realism, RESULT.json's
                        "frontier": the answer's ray t·w from the class mean (t 0) through the
                        answer (t 1) to the edge of the largest set the class search may search,
                        each point's value, image and realism
  --box-max VALUE       with --frontier: the box maximum (e.g. an unconstrained run's value or a
                        certified bound), so each frontier point also gets "fraction" (value / VALUE)
  --accentuate          with --prior and a class target: start from the prior's training image of
                        the class the model scores highest (its projection onto the class subspace)
                        and stay within half the class ball's radius of it; RESULT.json's "prior"
                        then has method "accentuation", the anchor's training index and value
  --anchor REF          with --accentuate: start from this image instead (a grey PNG of the model's
                        size, or REF.json {"input": [numbers]}); "anchorIndex" is then null
  --certify SECONDS     with --prior and a logit:K or margin:K target: also certify an upper bound
                        over the set searched (the subspace's bounds ∩ ball; see argmax certify), in
                        RESULT.json's "prior.upperBound" ({"value", "gap", "proven", ...})
  --png OUT.png         the answer as an image (gray in the box, blue-white-red for signed boxes)
  --gif OUT.gif         the run's snapshots as an animated GIF
  -h, --help            this text

A progress bar goes to stderr on a terminal; a one-line JSON summary goes to stdout.
Exit codes: 0 done, 1 failed, 2 bad arguments or input files, 130 interrupted.
`;

const spec = {
  model: modelArgument,
  target: { kind: 'string', required: true, accepts: targetForms },
  out: { kind: 'string', required: true, accepts: 'a result .json path' },
  method: { kind: 'choice', values: methodNames },
  box: { kind: 'string', accepts: 'LO,HI' },
  linf: { kind: 'string', accepts: 'REF.json,EPS' },
  l2: { kind: 'string', accepts: 'REF.json,EPS' },
  steps: { kind: 'integer', min: 1, max: maxSteps },
  restarts: { kind: 'integer', min: 1, max: maxRestarts },
  'time-budget': { kind: 'number', min: 0.01, max: 86_400 },
  seed: { kind: 'integer', min: 0, max: 2 ** 32 - 1 },
  quantize: { kind: 'integer', min: 2, max: 65_536 },
  'no-polish': { kind: 'boolean' },
  prior: { kind: 'choice', values: priorNames },
  certify: { kind: 'number', min: 0, exclusiveMin: true, max: 86_400 },
  diverse: { kind: 'integer', min: 2, max: 8 },
  frontier: { kind: 'boolean' },
  accentuate: { kind: 'boolean' },
  anchor: { kind: 'string', accepts: 'a reference .png or .json' },
  'box-max': { kind: 'number', min: 0, exclusiveMin: true },
  png: { kind: 'string', accepts: 'an output .png path' },
  gif: { kind: 'string', accepts: 'an output .gif path' },
} as const;

type OptimizeArgs = ReturnType<typeof parseArgs<typeof spec>>;

interface BallArg {
  path: string;
  epsilon: number;
}

/** The checks that need no files: flag forms, box order, ε sign. */
function parseOptimizeArgs(argv: string[]) {
  const args = parseArgs(argv, spec, 'argmax optimize');
  const target = parseTarget(args.target);
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
  const ball = (flag: '--linf' | '--l2', text: string | undefined): BallArg | undefined => {
    if (text === undefined) return undefined;
    const [path, eps] = splitPair(text, flag, 'REF.json,EPS');
    const epsilon = parseNumber(eps);
    if (!(epsilon >= 0) || !Number.isFinite(epsilon)) {
      throw new InvalidArgumentError(flag, text, 'REF.json,EPS with a finite EPS ≥ 0');
    }
    return { path, epsilon };
  };
  return { args, target, box, linf: ball('--linf', args.linf), l2: ball('--l2', args.l2) };
}

/** How `--png`/`--gif` draw the model input: [H, W], [H, W, 1|3], or a square number of values. */
function imageShape(shape: number[], flag: string, path: string): number[] {
  const [h, w, c] = shape;
  if (shape.length === 2 || (shape.length === 3 && (c === 1 || c === 3))) return [h!, w!, ...(c ? [c] : [])];
  const side = Math.round(Math.sqrt(h ?? 0));
  if (shape.length === 1 && side * side === h) return [side, side];
  throw new InvalidArgumentError(
    flag,
    path,
    `a model whose input is an image ([H, W], [H, W, 1], [H, W, 3] or a square number of values); this one takes [${shape.join(', ')}]`,
  );
}

/** Engine argument names → the flags a CLI user typed. */
const flagOf: Record<string, string> = {
  steps: '--steps',
  restarts: '--restarts',
  timeBudget: '--time-budget',
  seed: '--seed',
  method: '--method',
  objective: '--target',
  'objective.index': '--target',
  'objective.layer': '--target',
};

function userMessage(error: ArgmaxError): string {
  if (error instanceof InvalidArgumentError && flagOf[error.argument]) {
    return error.message.replace(error.argument, flagOf[error.argument]!);
  }
  return error.message;
}

export const optimizeCommand: Command = {
  name: 'optimize',
  summary: 'find the input that maximises a model output under constraints',
  help,
  async run(argv: string[], io: CliIo): Promise<number> {
    const fail = (code: number, message: string) => {
      io.stderr(`argmax optimize: ${message.split('\n')[0]}\n`);
      return code;
    };
    let parsed: ReturnType<typeof parseOptimizeArgs>;
    let model: tfl.LayersModel | undefined;
    let options: OptimizeOptions;
    let paths: { out: string; png?: string; gif?: string };
    let image: number[] | undefined;
    let prior: Awaited<ReturnType<typeof openPrior>> | undefined;
    let diverseK: number | undefined;
    let accentuateK: number | undefined;
    let anchor: number[] | undefined;
    try {
      parsed = parseOptimizeArgs(argv);
      const { args } = parsed;
      paths = {
        out: await checkOutputPath(args.out, '--out'),
        ...(args.png ? { png: await checkOutputPath(args.png, '--png') } : {}),
        ...(args.gif ? { gif: await checkOutputPath(args.gif, '--gif') } : {}),
      };
      // One optimisation in its own process: 2 XNNPACK threads where a core is idle (wasmThreads.ts).
      await initBackend(undefined, (line) => io.stderr(`${line}\n`), cliWasmThreads());
      model = await openModelArgument(args.model);
      const shape = jointInputShape(
        model.inputs.map((input) => (input.shape as (number | null)[]).slice(1).map((d) => d ?? 1)),
      );
      const size = shape.reduce((a, b) => a * b, 1);
      checkTarget(model, parsed.target, args.target);
      if (args.png || args.gif) {
        image = imageShape(shape, args.png ? '--png' : '--gif', (args.png ?? args.gif)!);
      }
      options = await buildOptions(args, parsed, size, shape);
      if (args.certify !== undefined) checkPriorCertificate(args.prior, model, parsed.target);
      if (args.prior) {
        const { linf, l2 } = parsed;
        prior = await openPrior(args.prior, model, { linf, l2, quantize: args.quantize }, io);
        if (priorArgument(args.prior).method === 'vae') {
          // The extras search the class subspace around its answer: not the generative prior's.
          const { diverse, frontier, accentuate } = args;
          for (const [flag, value] of Object.entries({ diverse, frontier, accentuate }))
            if (value !== undefined && value !== false)
              throw new InvalidArgumentError(
                '--prior',
                args.prior,
                `--prior ${args.prior} without --${flag}`,
              );
        }
      }
      if (args.diverse !== undefined) {
        if (!prior) throw new InvalidArgumentError('--diverse', args.diverse, '--diverse with --prior');
        diverseK = diverseClass(args.diverse, prior, options.objective);
      }
      if (args['box-max'] !== undefined && !args.frontier)
        throw new InvalidArgumentError('--box-max', args['box-max'], '--box-max with --frontier');
      if (args.frontier) {
        if (!prior) throw new InvalidArgumentError('--frontier', true, '--frontier with --prior');
        frontierClass(prior, options.objective);
      }
      if (args.accentuate) {
        const { diverse, frontier, certify } = args;
        accentuateK = accentuateClass(prior, options.objective, { diverse, frontier, certify });
      }
      if (args.anchor !== undefined) {
        if (!args.accentuate)
          throw new InvalidArgumentError('--anchor', args.anchor, '--anchor with --accentuate');
        anchor = await readReferenceImage(args.anchor, '--anchor', shape, parsed.box);
      }
    } catch (error) {
      model?.dispose();
      if (error instanceof ArgmaxError) return fail(2, userMessage(error));
      throw error;
    }

    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    const bar = progressBar(io);
    try {
      const frames: Float32Array[] = [];
      let result: OptimizationResult | undefined;
      const log = (line: string) => io.stderr(`${line}\n`);
      const run = { ...options, signal: controller.signal, log };
      const events =
        prior && accentuateK !== undefined
          ? accentuate(model, run, prior, accentuateK, parsed.box, anchor)
          : prior
            ? optimizeWithPrior(model, run, prior, parsed.box, priorArgument(parsed.args.prior!).method)
            : optimize(model, run);
      for await (const event of events) {
        if (event.type === 'done') {
          result = event.result;
          break;
        }
        bar.update(event.step + 1, event.steps, `objective ${event.objective.toPrecision(6)}`);
        if (paths.gif && event.input) frames.push(Float32Array.from(event.input));
      }
      bar.clear();
      if (!result) throw new Error('the optimisation ended without a result');
      const box = parsed.box;
      const range = box[0] < box[1] ? box : undefined;
      const scale = image ? Math.max(1, Math.min(16, Math.floor(280 / Math.max(image[0]!, image[1]!)))) : 1;
      const imageOptions = image ? { shape: image, scale, ...(range ? { range } : {}) } : undefined;
      if (paths.gif) frames.push(Float32Array.from(result.input));
      let certificate: PriorCertificate | undefined;
      if (prior && parsed.args.certify !== undefined) {
        const timeLimitSeconds = parsed.args.certify;
        const started = performance.now();
        const certified = await certifyPriorAnswer(model, prior, result as PriorResult, box, {
          objective: options.objective,
          timeLimitSeconds,
          signal: controller.signal,
          onProgress: (p) =>
            bar.update(
              Math.min(performance.now() - started, timeLimitSeconds * 1000),
              timeLimitSeconds * 1000,
              `${p.method} bound ${p.upperBound.toPrecision(6)}`,
            ),
        });
        bar.clear();
        if (!certified.supported) throw new UnsupportedError(`no certificate: ${certified.reason}`);
        certificate = certified;
      }
      const diverse =
        prior && diverseK !== undefined
          ? await diversePrototypes(model, run, prior, diverseK, box, parsed.args.diverse!)
          : undefined;
      const frontier =
        prior && parsed.args.frontier
          ? await resultFrontier(model, options.objective, prior, result, box)
          : undefined;
      const record = {
        ...resultRecord(result, parsed),
        ...(prior ? priorRecord(result, prior, options.objective, certificate) : {}),
        ...(diverse ? { diverse: diverseRecord(diverse) } : {}),
        ...(frontier ? { frontier: frontierRecord(frontier, parsed.args['box-max']) } : {}),
      };
      // With --diverse the PNG shows the prototypes side by side (a 1-pixel gap at the box's top).
      const png =
        diverse && diverse.length > 0 && image
          ? imageStrip(
              diverse.map((p) => p.input),
              image,
              1,
              box[1],
            )
          : undefined;
      await writeFilesAtomically([
        ...(paths.png
          ? [
              {
                path: paths.png,
                data: png
                  ? encodePng(png.values, { ...imageOptions!, shape: png.shape })
                  : encodePng(result.input, imageOptions!),
              },
            ]
          : []),
        ...(paths.gif
          ? [{ path: paths.gif, data: encodeGif(frames, { ...imageOptions!, delayMs: 80 }) }]
          : []),
        { path: paths.out, data: `${JSON.stringify(record)}\n` },
      ]);
      io.stdout(
        `${JSON.stringify({
          out: paths.out,
          ...(paths.png ? { png: paths.png } : {}),
          ...(paths.gif ? { gif: paths.gif } : {}),
          value: result.value,
          violation: result.violation,
          method: result.method,
          backend: result.backend,
          seconds: result.seconds,
        })}\n`,
      );
      return 0;
    } catch (error) {
      bar.clear();
      if (error instanceof CancelledError) return fail(130, 'interrupted; nothing was written');
      const message = error instanceof ArgmaxError ? userMessage(error) : (error as Error).message;
      return fail(
        error instanceof ArgmaxError ? 2 : 1,
        `${message}; nothing was written to ${parsed.args.out}`,
      );
    } finally {
      process.removeListener('SIGINT', interrupt);
      model.dispose();
      for (const judge of prior?.judges ?? []) judge.model.dispose();
    }
  },
};

async function buildOptions(
  args: OptimizeArgs,
  parsed: ReturnType<typeof parseOptimizeArgs>,
  size: number,
  shape: number[],
): Promise<OptimizeOptions> {
  const constraints: ConstraintSpec = { box: { lo: parsed.box[0], hi: parsed.box[1] } };
  if (parsed.linf) {
    const reference = await readReferenceFile(parsed.linf.path, '--linf', size, shape);
    constraints.linf = { reference, epsilon: parsed.linf.epsilon };
  }
  if (parsed.l2) {
    const reference = await readReferenceFile(parsed.l2.path, '--l2', size, shape);
    constraints.l2 = { reference, epsilon: parsed.l2.epsilon };
  }
  if (args.quantize !== undefined) constraints.quantize = { levels: args.quantize };
  return {
    objective: parsed.target,
    constraints,
    ...(args.method !== undefined ? { method: args.method as OptimizeOptions['method'] & string } : {}),
    ...(args.steps !== undefined ? { steps: args.steps } : {}),
    ...(args.restarts !== undefined ? { restarts: args.restarts } : {}),
    ...(args['time-budget'] !== undefined ? { timeBudget: args['time-budget'] } : {}),
    seed: args.seed ?? 0,
    ...(args['no-polish'] ? { polish: false } : {}),
  };
}

/** RESULT.json: the answer (flat, model input order) with what produced it. */
function resultRecord(result: OptimizationResult, parsed: ReturnType<typeof parseOptimizeArgs>) {
  const { args } = parsed;
  return {
    input: Array.from(result.input),
    shape: result.shape,
    ...(result.inputs ? { inputs: result.inputs } : {}),
    value: result.value,
    outputs: result.outputs,
    violation: result.violation,
    backend: result.backend,
    method: result.method,
    steps: result.steps,
    restarts: result.restarts,
    ...(result.budget ? { budget: result.budget } : {}),
    seconds: result.seconds,
    seed: args.seed ?? 0,
    target: args.target,
    model: resolve(args.model),
    constraints: {
      box: parsed.box,
      ...(parsed.linf
        ? { linf: { reference: resolve(parsed.linf.path), epsilon: parsed.linf.epsilon } }
        : {}),
      ...(parsed.l2 ? { l2: { reference: resolve(parsed.l2.path), epsilon: parsed.l2.epsilon } } : {}),
      ...(args.quantize !== undefined ? { quantize: args.quantize } : {}),
    },
    ...(result.valueBeforePolish !== undefined ? { valueBeforePolish: result.valueBeforePolish } : {}),
    ...(result.valueBeforeQuantize !== undefined ? { valueBeforeQuantize: result.valueBeforeQuantize } : {}),
    ...('polishSkipped' in result
      ? { polishSkipped: (result as { polishSkipped?: string }).polishSkipped }
      : {}),
  };
}
