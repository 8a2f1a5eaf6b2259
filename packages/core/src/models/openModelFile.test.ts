import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readKerasArchive, writeKerasArchive } from '../testing/testSupport.ts';
import { openModelFile } from './openModelFile.ts';

const fixture = (path: string) => fileURLToPath(new URL(`../../fixtures/models/${path}`, import.meta.url));
const cli = fileURLToPath(new URL('../../bin/argmax.js', import.meta.url));

describe('openModelFile (the CLI’s --model)', () => {
  it.each([
    ['keras3-fashion-mnist-cnn/fashion_mnist.keras', [28, 28, 1]],
    ['keras-h5-mnist-mlp/mnist.h5', [28, 28]],
    ['tfjs-mnist-mlp/model.json', [28, 28, 1]],
    ['tfjs-mnist-mlp', [28, 28, 1]],
  ])('opens %s', async (path, shape) => {
    const model = await openModelFile(fixture(path));
    expect(model.inputs[0]!.shape.slice(1)).toEqual(shape);
    expect(model.outputs[0]!.shape.at(-1)).toBe(10);
    model.dispose();
  });

  it('argmax optimize takes a Keras .h5 as it is and its answer stays in the box', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'argmax-h5-'));
    try {
      const out = join(dir, 'result.json');
      await promisify(execFile)(process.execPath, [
        cli,
        'optimize',
        '--model',
        fixture('keras-h5-mnist-mlp/mnist.h5'),
        '--target',
        'logit:3',
        '--steps',
        '30',
        '--restarts',
        '4',
        '--out',
        out,
      ]);
      const result = JSON.parse(await readFile(out, 'utf8')) as {
        input: number[];
        shape: number[];
        violation: number;
      };
      expect(result.shape).toEqual([28, 28]);
      expect(result.input).toHaveLength(784);
      expect(Math.min(...result.input)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...result.input)).toBeLessThanOrEqual(1);
      expect(result.violation).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['optimize', 'truncated.h5', /truncated file: eof = 4096/],
    ['certify', 'damaged.keras', /model\.weights\.h5: HDF5 data is corrupt or truncated \(truncated file/],
  ])(
    'argmax %s on a damaged %s: exit 2 and one line on stderr, no HDF5 diagnostics',
    async (command, name, cause) => {
      const dir = await mkdtemp(join(tmpdir(), 'argmax-damaged-'));
      try {
        const h5 = new Uint8Array(await readFile(fixture('keras-h5-mnist-mlp/mnist.h5')));
        const keras = readKerasArchive(
          new Uint8Array(await readFile(fixture('keras3-fashion-mnist-cnn/fashion_mnist.keras'))),
        );
        const bytes = name.endsWith('.h5')
          ? h5.subarray(0, 4096)
          : writeKerasArchive({ ...keras, weights: keras.weights.subarray(0, keras.weights.length >> 1) });
        const model = join(dir, name);
        await writeFile(model, bytes);
        const run = promisify(execFile)(process.execPath, [
          cli,
          command,
          '--model',
          model,
          '--target',
          'logit:1',
          '--out',
          join(dir, 'out.json'),
        ]);
        const failure = (await run.then(
          () => undefined,
          (e: unknown) => e,
        )) as { code: number; stderr: string };
        expect(failure.code).toBe(2);
        // The only other line is the backend notice every run prints.
        const lines = failure.stderr
          .split('\n')
          .filter((line) => line !== '' && !line.startsWith('argmax: tfjs backend'));
        expect(lines).toHaveLength(1);
        expect(
          lines[0]?.startsWith(
            `argmax ${command}: --model: received "${model}"; expected a readable .keras, .h5 or TF.js model.json (${name}: `,
          ),
        ).toBe(true);
        expect(lines[0]).toMatch(cause);
        expect(failure.stderr).not.toMatch(/HDF5-DIAG|#000|major:|minor:/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
