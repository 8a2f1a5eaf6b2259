import type { LiveFrame } from './liveRunState.ts';

/** The last few frames, newest on the right: shows how the input is changing, not only where it is. */
export function FrameStrip({ frames }: { frames: readonly LiveFrame[] }) {
  if (frames.length < 2) return null;
  return (
    <section className="frame-strip" aria-label="Recent frames">
      {frames.map((f) => (
        <figure key={f.step}>
          {/* biome-ignore lint/performance/noImgElement: small data-URL thumbnails */}
          <img className="pixelated" src={f.image} alt={`step ${f.step}`} />
          <figcaption>{f.step}</figcaption>
        </figure>
      ))}
    </section>
  );
}
