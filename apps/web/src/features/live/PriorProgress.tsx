interface Props {
  progress: number;
  stage: string | null;
}

/** Before a run in a prior starts: the prior being built (once; later runs reuse it). */
export function PriorProgress({ progress, stage }: Props) {
  const percent = Math.round(progress * 100);
  return (
    <section className="card stack" aria-label="Prior build" data-testid="prior-progress">
      <h3>Building the prior {percent}%</h3>
      <progress className="progress" max={100} value={percent} aria-label="Prior built" />
      <p className="muted small">
        Built once from the dataset, then reused by every run{stage ? ` · ${stage}` : ''}
      </p>
    </section>
  );
}
