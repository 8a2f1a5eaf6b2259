'use client';

import { useState } from 'react';
import { useClient } from 'urql';
import { downloadBlob } from './downloadBlob.ts';
import { decodeImage, encodeFramesGif } from './encodeFramesGif.ts';
import { fetchSnapshotImage } from './fetchSnapshotImage.ts';
import type { RunSource } from './runSource.ts';

const MAX_FRAMES = 120;
const SCALE = 8;

/** Builds an animated GIF of the stored snapshots in the browser (gifenc) and downloads it. */
export function GifDownloadButton({ source, steps }: { source: RunSource; steps: readonly number[] }) {
  const client = useClient();
  const [progress, setProgress] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const pick = thin(steps, MAX_FRAMES);

  const build = async () => {
    setProblem(null);
    try {
      const frames: ImageData[] = [];
      for (const [i, step] of pick.entries()) {
        setProgress(`frame ${i + 1} of ${pick.length}`);
        const image = await fetchSnapshotImage(client, source, step);
        if (image) frames.push(await decodeImage(image, SCALE));
      }
      setProgress('encoding');
      downloadBlob(
        encodeFramesGif(frames) as Uint8Array<ArrayBuffer>,
        'image/gif',
        `run-${source.runId}.gif`,
      );
    } catch (error) {
      setProblem(`Could not build the GIF: ${(error as Error).message}`);
    } finally {
      setProgress(null);
    }
  };

  return (
    <>
      <button
        type="button"
        className="secondary"
        disabled={progress !== null || pick.length === 0}
        onClick={build}
      >
        {progress ? `GIF: ${progress}…` : 'Download GIF'}
      </button>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
    </>
  );
}

/** At most `limit` steps, evenly spread, always keeping the first and the last. */
function thin(steps: readonly number[], limit: number): number[] {
  if (steps.length <= limit) return [...steps];
  const out: number[] = [];
  for (let i = 0; i < limit; i++) out.push(steps[Math.round((i * (steps.length - 1)) / (limit - 1))]!);
  return out;
}
