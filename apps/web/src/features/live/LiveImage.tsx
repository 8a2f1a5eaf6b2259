interface Props {
  image: string | null;
  step: number | null;
  label: string;
  testId?: string;
}

/** The current input, large and with hard pixel edges (no smoothing of a 28×28 image). */
export function LiveImage({ image, step, label, testId = 'live-image' }: Props) {
  if (!image)
    return (
      <div className="live-image placeholder" data-testid={`${testId}-placeholder`}>
        Waiting for the first frame…
      </div>
    );
  return (
    // biome-ignore lint/performance/noImgElement: data URLs streamed live; next/image would only add overhead
    <img
      className="live-image pixelated"
      src={image}
      alt={step === null ? label : `${label} at step ${step}`}
      data-testid={testId}
      data-step={step ?? undefined}
    />
  );
}
