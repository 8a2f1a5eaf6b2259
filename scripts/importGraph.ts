import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One workspace area of the repo and what it may import. */
export interface PackageRules {
  /** The directory, relative to the repo root (`packages/core`). */
  dir: string;
  /** The name others import it by (`@argmax/core`), when it has one. */
  name?: string;
  /** Where the layers' folders are, relative to `dir` (`src`). Files outside it are entry points. */
  sourceRoot?: string;
  /**
   * Floors from top to bottom; each floor lists folders (or files) directly under `sourceRoot`. A file
   * may import its own folder or any folder on a lower floor, not a peer on its floor nor one above.
   * Undefined: no layer rule for this package.
   */
  layers?: string[][];
  /**
   * Other packages this one may import: a name or dir (any of its entry points), or a name with a subpath
   * (`@argmax/core/errors`: that entry point's file only).
   */
  mayImport: string[];
  /** Imports tolerated for now, as `from -> to` (repo-relative paths), each with a reason nearby. */
  knownViolations?: string[];
}

export interface Violation {
  rule: 'circle' | 'layer' | 'package' | 'unplaced' | 'stale-allowance';
  message: string;
}

const sourceFile = /\.(ts|tsx|mts|mjs|js)$/;
const declarationFile = /\.d\.(ts|mts|cts)$/;
const testFile = /\.test\.(ts|tsx)$/;
const skippedDirs = new Set(['node_modules', '.next', '.turbo', 'dist', 'coverage']);

function listSources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDirs.has(entry.name)) files.push(...listSources(path));
    } else if (sourceFile.test(entry.name) && !declarationFile.test(entry.name)) {
      files.push(path);
    }
  }
  return files;
}

function resolveFile(base: string): string | undefined {
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}.mts`, `${base}.mjs`, `${base}.js`];
  candidates.push(join(base, 'index.ts'), join(base, 'index.tsx'));
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

/** Every import of every source file of `packages`, resolved to repo-relative paths: `from -> [to]`. */
export function importGraph(root: string, packages: PackageRules[]): Map<string, string[]> {
  const byName = new Map(packages.filter((p) => p.name).map((p) => [p.name!, p]));
  const graph = new Map<string, string[]>();
  for (const pkg of packages) {
    for (const file of listSources(join(root, pkg.dir))) {
      const text = readFileSync(file, 'utf8');
      const targets: string[] = [];
      for (const { fileName: specifier } of ts.preProcessFile(text, true, true).importedFiles) {
        let base: string | undefined;
        if (specifier.startsWith('.')) base = resolve(dirname(file), specifier);
        else {
          const name = [...byName.keys()].find((n) => specifier === n || specifier.startsWith(`${n}/`));
          if (name) {
            const target = byName.get(name)!;
            const sub = specifier.slice(name.length + 1) || 'index';
            base = join(root, target.dir, target.sourceRoot ?? '', sub);
          }
        }
        const target = base && resolveFile(base);
        if (target) targets.push(relative(root, target).split(sep).join('/'));
      }
      graph.set(relative(root, file).split(sep).join('/'), targets);
    }
  }
  return graph;
}

function owner(packages: PackageRules[], path: string): PackageRules | undefined {
  return packages.filter((p) => path.startsWith(`${p.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
}

/** The floor of `path` in its package (0 = top) and its folder, or why it has none. */
function placement(pkg: PackageRules, path: string): { floor: number; unit: string } | 'entry' | 'unplaced' {
  const root = `${pkg.dir}/${pkg.sourceRoot ?? ''}`.replace(/\/$/, '');
  if (!path.startsWith(`${root}/`)) return 'entry';
  const unit = path.slice(root.length + 1).split('/')[0]!;
  const floor = pkg.layers!.findIndex((f) => f.includes(unit));
  return floor < 0 ? 'unplaced' : { floor, unit };
}

/** The circles of `graph` (strongly connected components with more than one file, or a self-import). */
export function findCircles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm, iterative so a deep chain cannot overflow the stack.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  let counter = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work.at(-1)!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!;
        if (!graph.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let node: string;
        do {
          node = stack.pop()!;
          onStack.delete(node);
          component.push(node);
        } while (node !== frame.node);
        if (component.length > 1 || edges.includes(frame.node)) circles.push(component.sort());
      }
    }
  }
  return circles;
}

/** One import path around a circle, starting and ending at its first file. */
function cyclePath(graph: Map<string, string[]>, component: string[]): string[] {
  const members = new Set(component);
  const start = component[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const to of graph.get(node) ?? []) {
      if (!members.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)!) path.splice(1, 0, at);
        return [...path, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return component;
}

/**
 * Whether `source` may import the file `to` of the package `target`: the whole package is allowed, or an
 * entry point named by subpath resolves to exactly that file.
 */
function mayImport(root: string, source: PackageRules, target: PackageRules, to: string): boolean {
  return source.mayImport.some((allowed) => {
    if (allowed === target.dir || allowed === target.name) return true;
    if (!target.name || !allowed.startsWith(`${target.name}/`)) return false;
    const base = join(root, target.dir, target.sourceRoot ?? '', allowed.slice(target.name.length + 1));
    const file = resolveFile(base);
    return file !== undefined && relative(root, file).split(sep).join('/') === to;
  });
}

/** Checks the circle, package and layer rules over the repo at `root`. */
export function checkImports(root: string, packages: PackageRules[]): Violation[] {
  const full = importGraph(root, packages);
  const allowed = new Set(packages.flatMap((p) => p.knownViolations ?? []));
  const used = new Set<string>();
  const graph = new Map<string, string[]>();
  for (const [from, targets] of full) {
    graph.set(
      from,
      targets.filter((to) => {
        const edge = `${from} -> ${to}`;
        if (!allowed.has(edge)) return true;
        used.add(edge);
        return false;
      }),
    );
  }
  const violations: Violation[] = [];
  for (const component of findCircles(graph)) {
    violations.push({ rule: 'circle', message: `import circle: ${cyclePath(graph, component).join(' → ')}` });
  }
  for (const [from, targets] of graph) {
    const source = owner(packages, from)!;
    const place = source.layers && !testFile.test(from) ? placement(source, from) : 'entry';
    if (place === 'unplaced') {
      violations.push({ rule: 'unplaced', message: `${from}: its folder is on no layer of ${source.dir}` });
      continue;
    }
    for (const to of targets) {
      const target = owner(packages, to);
      if (!target) continue;
      if (target !== source) {
        if (!mayImport(root, source, target, to)) {
          violations.push({
            rule: 'package',
            message: `${from} → ${to}: ${source.name ?? source.dir} may not import ${target.name ?? target.dir}`,
          });
        }
        continue;
      }
      if (place === 'entry') continue;
      const goal = placement(source, to);
      if (goal === 'entry' || goal === 'unplaced') {
        violations.push({ rule: 'layer', message: `${from} → ${to}: imports a file outside the layers` });
      } else if (goal.unit !== place.unit && goal.floor <= place.floor) {
        const why = goal.floor < place.floor ? 'is above' : 'is a peer on the same floor as';
        violations.push({
          rule: 'layer',
          message: `${from} → ${to}: ${goal.unit} ${why} ${place.unit}`,
        });
      }
    }
  }
  for (const edge of allowed) {
    if (!used.has(edge)) {
      violations.push({
        rule: 'stale-allowance',
        message: `${edge}: allowed, but no longer imported; drop it`,
      });
    }
  }
  return violations;
}
