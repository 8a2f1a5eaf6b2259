import type { ReactNode } from 'react';

interface Props {
  /** A PNG data URL; without one only the caption shows. */
  src: string | null | undefined;
  alt: string;
  /** The image's side in CSS pixels (the images are square). */
  size?: number;
  /** The figure's data-testid. */
  testId?: string;
  imageTestId?: string;
  captionTestId?: string;
  children: ReactNode;
}

/** A picture (pixelated, square) above its caption, as the run panels show an answer or a real image. */
export function ImageFigure({ src, alt, size = 112, testId, imageTestId, captionTestId, children }: Props) {
  return (
    <figure className="stack" style={{ margin: 0 }} data-testid={testId}>
      {src ? (
        // biome-ignore lint/performance/noImgElement: a data-URL PNG
        <img className="pixelated" src={src} alt={alt} width={size} height={size} data-testid={imageTestId} />
      ) : null}
      <figcaption className="small muted" data-testid={captionTestId}>
        {children}
      </figcaption>
    </figure>
  );
}
