import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkImports, type PackageRules } from './importGraph.ts';

const roots: string[] = [];

/** A throwaway repo holding `files` (path → source). */
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'import-graph-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const lib: PackageRules = {
  dir: 'lib',
  name: '@x/lib',
  sourceRoot: 'src',
  layers: [['top'], ['left', 'right'], ['bottom.ts']],
  mayImport: [],
};
const app: PackageRules = { dir: 'app', sourceRoot: 'src', mayImport: [] };

/** A clean tree: each floor imports only its own folder and lower floors. */
const clean = {
  'lib/src/top/a.ts':
    "import { l } from '../left/l.ts';\nimport { r } from '../right/r.ts';\nexport const a = l + r;\n",
  'lib/src/left/l.ts':
    "import { b } from '../bottom.ts';\nimport { l2 } from './l2.ts';\nexport const l = b + l2;\n",
  'lib/src/left/l2.ts': 'export const l2 = 1;\n',
  'lib/src/right/r.ts': "import type { B } from '../bottom.ts';\nexport const r: B = 2;\n",
  'lib/src/bottom.ts': 'export type B = number;\nexport const b = 3;\n',
  'lib/src/left/l.test.ts': "import { a } from '../top/a.ts';\nexport const t = a;\n",
};

describe('checkImports', () => {
  it('passes a tree that keeps every rule (tests may import any floor of their package)', () => {
    expect(checkImports(repo(clean), [lib, app])).toEqual([]);
  });

  it('flags an upward import and an import of a peer on the same floor, naming both files', () => {
    const tree = repo({
      ...clean,
      'lib/src/bottom.ts': "import { a } from './top/a.ts';\nexport type B = number;\nexport const b = 3;\n",
      'lib/src/right/r.ts': "import { l2 } from '../left/l2.ts';\nexport const r = l2;\n",
    });
    const messages = checkImports(tree, [lib, app]).map((v) => `${v.rule}: ${v.message}`);
    expect(messages).toContain('layer: lib/src/bottom.ts → lib/src/top/a.ts: top is above bottom.ts');
    expect(messages).toContain(
      'layer: lib/src/right/r.ts → lib/src/left/l2.ts: left is a peer on the same floor as right',
    );
  });

  it('flags a circle, type-only imports included, with the path around it', () => {
    const tree = repo({
      ...clean,
      'lib/src/left/l2.ts': "import type { L } from './l3.ts';\nexport const l2 = 1;\nexport type L2 = L;\n",
      'lib/src/left/l3.ts': "import { l2 } from './l2.ts';\nexport type L = number;\nexport const l3 = l2;\n",
    });
    const violations = checkImports(tree, [lib, app]);
    expect(violations).toEqual([
      {
        rule: 'circle',
        message: 'import circle: lib/src/left/l2.ts → lib/src/left/l3.ts → lib/src/left/l2.ts',
      },
    ]);
  });

  it('flags an import of a package not allowed, by name or by relative path', () => {
    const tree = repo({
      ...clean,
      'app/src/main.ts':
        "import { a } from '@x/lib/top/a';\nimport { b } from '../../lib/src/bottom.ts';\nexport const m = a + b;\n",
    });
    expect(checkImports(tree, [lib, app]).map((v) => v.message)).toEqual([
      'app/src/main.ts → lib/src/top/a.ts: app may not import @x/lib',
      'app/src/main.ts → lib/src/bottom.ts: app may not import @x/lib',
    ]);
    expect(checkImports(tree, [lib, { ...app, mayImport: ['@x/lib'] }])).toEqual([]);
  });

  it('lets an allowed entry point through by subpath, and nothing else of that package', () => {
    const tree = repo({
      ...clean,
      'app/src/main.ts':
        "import { b } from '@x/lib/bottom';\nimport { a } from '@x/lib/top/a';\nexport const m = a + b;\n",
    });
    expect(checkImports(tree, [lib, { ...app, mayImport: ['@x/lib/bottom'] }]).map((v) => v.message)).toEqual(
      ['app/src/main.ts → lib/src/top/a.ts: app may not import @x/lib'],
    );
  });

  it('flags a file whose folder is on no floor', () => {
    const tree = repo({ ...clean, 'lib/src/stray/s.ts': 'export const s = 1;\n' });
    expect(checkImports(tree, [lib, app])).toEqual([
      { rule: 'unplaced', message: 'lib/src/stray/s.ts: its folder is on no layer of lib' },
    ]);
  });

  it('tolerates an allowed import, and reports an allowance whose import is gone', () => {
    const upward = 'lib/src/bottom.ts -> lib/src/top/a.ts';
    const tree = repo({
      ...clean,
      'lib/src/bottom.ts': "import { a } from './top/a.ts';\nexport type B = number;\nexport const b = 3;\n",
    });
    // The upward import also closes a circle (top → left → bottom → top): allowing it lifts both.
    expect(checkImports(tree, [{ ...lib, knownViolations: [upward] }, app])).toEqual([]);
    expect(checkImports(repo(clean), [{ ...lib, knownViolations: [upward] }, app])).toEqual([
      { rule: 'stale-allowance', message: `${upward}: allowed, but no longer imported; drop it` },
    ]);
  });
});
