interface Props {
  outputs: readonly number[] | null;
  classNames: readonly string[] | null | undefined;
  targetIndex: number | null;
}

/**
 * One bar per output. Probabilities (all in [0, 1]) are drawn to scale; raw outputs are scaled to the
 * largest magnitude so their ordering still reads at a glance.
 */
export function ProbabilityBars({ outputs, classNames, targetIndex }: Props) {
  if (!outputs || outputs.length === 0) return <p className="muted">No outputs yet.</p>;
  const probabilities = outputs.every((v) => v >= 0 && v <= 1);
  const scale = probabilities ? 1 : Math.max(...outputs.map(Math.abs), 1e-12);
  return (
    <section className="bars" aria-label={probabilities ? 'Class probabilities' : 'Outputs'}>
      {outputs.map((v, i) => {
        const name = classNames?.[i] ?? `output ${i}`;
        return (
          <div key={name} style={{ display: 'contents' }} data-output={name}>
            <span>{name}</span>
            <span className="bar" data-target={i === targetIndex}>
              <span style={{ width: `${Math.max(0, Math.min(1, Math.abs(v) / scale)) * 100}%` }} />
            </span>
            <span className="muted" style={{ textAlign: 'right' }}>
              {probabilities ? `${(v * 100).toFixed(1)}%` : v.toFixed(2)}
            </span>
          </div>
        );
      })}
    </section>
  );
}
