import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ArgmaxError, initBackend, parseArgs } from '@argmax/core';
import type { BenchRow, BenchSuite } from './benchRow.ts';

const help = `Usage: npm run bench -- [--quick] [--only NAME[,NAME…]] [--out PATH]

Runs every benchmark suite in bench/src (each file exporting a BenchSuite), prints one table and
writes the rows with machine information as JSON (default bench/results/latest.json).

Options:
  --quick        shortened runs (smoke test of the benchmarks, not figures to quote)
  --only NAMES   run only these suites (comma-separated names; see the list below)
  --out PATH     where to write the JSON
  -h, --help     this text
`;

const spec = {
  quick: { kind: 'boolean' },
  only: { kind: 'string', accepts: 'suite names, comma-separated' },
  out: { kind: 'string', accepts: 'a .json path' },
} as const;

const here = dirname(fileURLToPath(import.meta.url));

/** Every BenchSuite exported by a file of bench/src (suites are found, not listed, so new ones just work). */
async function discoverSuites(): Promise<BenchSuite[]> {
  const files = (await readdir(here))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .filter((f) => f !== 'main.ts' && f !== 'benchRow.ts')
    .sort();
  const suites: BenchSuite[] = [];
  for (const file of files) {
    const module: Record<string, unknown> = await import(join(here, file));
    for (const value of Object.values(module)) if (isSuite(value)) suites.push(value);
  }
  return suites;
}

function isSuite(value: unknown): value is BenchSuite {
  const suite = value as BenchSuite | null;
  return typeof suite?.name === 'string' && typeof suite.run === 'function';
}

function format(value: number | undefined): string {
  if (value === undefined) return '';
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(3);
  return Number(value.toPrecision(5)).toString();
}

/** A plain-text table: text columns left-aligned, numbers right-aligned. */
export function renderTable(rows: BenchRow[]): string {
  const header = ['suite', 'case', 'metric', 'value', 'unit', 'baseline', 'ratio'];
  const cells = rows.map((r) => [
    r.suite,
    r.case,
    r.metric,
    format(r.value),
    r.unit,
    format(r.baseline),
    r.ratio === undefined ? '' : `${format(r.ratio)}×`,
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, c) => (c >= 3 && c !== 4 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    const names = (await discoverSuites()).map((s) => s.name);
    process.stdout.write(`${help}\nSuites: ${names.join(', ')}\n`);
    return 0;
  }
  let args: { quick: boolean; only?: string; out?: string };
  try {
    args = parseArgs(argv, spec, 'npm run bench --');
  } catch (error) {
    if (!(error instanceof ArgmaxError)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    return 2;
  }
  const all = await discoverSuites();
  const wanted = args.only?.split(',').map((s) => s.trim());
  const unknown = wanted?.filter((name) => !all.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(
      `bench: --only: received ${JSON.stringify(unknown.join(','))}; expected suite names among ${all.map((s) => s.name).join(', ')}\n`,
    );
    return 2;
  }
  const suites = wanted ? all.filter((s) => wanted.includes(s.name)) : all;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const backend = await initBackend(undefined, log);
  const out = args.out ?? join(here, '..', 'results', 'latest.json');
  await mkdir(dirname(out), { recursive: true });
  const started = new Date();
  const rows: BenchRow[] = [];
  const runs: { name: string; seconds: number; error?: string }[] = [];
  for (const suite of suites) {
    log(`== ${suite.name}${args.quick ? ' (quick)' : ''}`);
    const t = performance.now();
    try {
      const suiteRows = await suite.run({
        quick: args.quick,
        log: (line) => log(`[${suite.name}] ${line}`),
        outDir: dirname(out),
      });
      rows.push(...suiteRows);
      runs.push({ name: suite.name, seconds: (performance.now() - t) / 1000 });
    } catch (error) {
      // One broken suite should not hide the others' figures; it fails the run at the end.
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      log(`[${suite.name}] failed: ${message}`);
      runs.push({ name: suite.name, seconds: (performance.now() - t) / 1000, error: message });
    }
  }
  process.stdout.write(`${renderTable(rows)}\n`);

  const report = {
    date: started.toISOString(),
    quick: args.quick,
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryGiB: Number((totalmem() / 1024 ** 3).toFixed(1)),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      backend: backend.name,
      ...(backend.name === 'wasm' ? { simd: backend.simd, threads: backend.threads } : {}),
    },
    suites: runs,
    rows,
  };
  // Written then renamed: an interrupted run never leaves half a JSON file behind.
  await writeFile(`${out}.tmp.json`, `${JSON.stringify(report, null, 2)}\n`);
  await rename(`${out}.tmp.json`, out);
  log(`wrote ${out}`);
  return runs.some((r) => r.error) ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
