/**
 * Readable facts from a run's `spec` JSON (the server's validated request). The JSON is untyped on the wire,
 * so every field is checked before use.
 */
export interface RunSpecSummary {
  objective: string;
  targetIndex: number | null;
  method: string | null;
  steps: number | null;
  restarts: number | null;
  seed: number | null;
  constraints: string[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

export function describeRunSpec(
  spec: unknown,
  classNames: readonly string[] | null | undefined,
): RunSpecSummary {
  const s = obj(spec) ?? {};
  const o = obj(s.objective) ?? {};
  const kind = typeof o.kind === 'string' ? o.kind : 'objective';
  const index = num(o.index) ?? num(o.channel);
  const layer = typeof o.layer === 'string' ? o.layer : null;
  const name = index !== null && !layer ? classNames?.[index] : undefined;
  const what = layer
    ? `${layer}[${index ?? '?'}]`
    : name
      ? `“${name}” (${index})`
      : index !== null
        ? `output ${index}`
        : '';
  const c = obj(s.constraints) ?? {};
  const constraints: string[] = [];
  const box = obj(c.box);
  if (box) constraints.push(`box [${num(box.lo) ?? '?'}, ${num(box.hi) ?? '?'}]`);
  const linf = obj(c.linf);
  if (linf) constraints.push(`L∞ ball ε=${num(linf.epsilon) ?? '?'}`);
  const l2 = obj(c.l2);
  if (l2) constraints.push(`L2 ball ε=${num(l2.epsilon) ?? '?'}`);
  if (c.mask) constraints.push('fixed mask');
  if (Array.isArray(c.linear)) constraints.push(`${c.linear.length} linear`);
  const quantize = obj(c.quantize);
  if (quantize) constraints.push(`${num(quantize.levels) ?? '?'} levels`);
  return {
    objective: `${kind} ${what}`.trim(),
    targetIndex: layer ? null : index,
    method: typeof s.method === 'string' ? s.method : null,
    steps: num(s.steps),
    restarts: num(s.restarts),
    seed: num(s.seed),
    constraints,
  };
}
