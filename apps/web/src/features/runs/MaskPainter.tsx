'use client';

import { type PointerEvent, useEffect, useRef } from 'react';
import { imageShape, inputToRgba } from './referenceImage.ts';

interface Props {
  inputShape: readonly number[];
  range: readonly [number, number];
  reference: readonly number[];
  pixels: readonly number[];
  onChange: (pixels: number[]) => void;
}

const CELL = 10;

/**
 * Paint the pixels that stay fixed at the reference: drag to paint, start on a painted pixel to erase.
 * Drawn on a canvas (one cell per input pixel) so a 28×28 grid stays light.
 */
export function MaskPainter({ inputShape, range, reference, pixels, onChange }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const mode = useRef<'paint' | 'erase' | null>(null);
  const shape = imageShape(inputShape);
  const fixed = new Set(pixels);

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    const drawn = imageShape(inputShape);
    if (!ctx || !drawn) return;
    const { width, height, channels } = drawn;
    const image = new ImageData(inputToRgba(reference, width * height, channels, range), width, height);
    const small = document.createElement('canvas');
    small.width = width;
    small.height = height;
    small.getContext('2d')?.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, width * CELL, height * CELL);
    ctx.fillStyle = 'rgba(230, 40, 40, 0.55)';
    for (const p of pixels) ctx.fillRect((p % width) * CELL, Math.floor(p / width) * CELL, CELL, CELL);
  }, [reference, pixels, range, inputShape]);

  if (!shape) return null;
  const cellAt = (e: PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const x = Math.floor(((e.clientX - box.left) / box.width) * shape.width);
    const y = Math.floor(((e.clientY - box.top) / box.height) * shape.height);
    return x >= 0 && y >= 0 && x < shape.width && y < shape.height ? y * shape.width + x : null;
  };
  const apply = (cell: number | null) => {
    if (cell === null || !mode.current) return;
    if (mode.current === 'paint' && !fixed.has(cell)) onChange([...fixed, cell]);
    if (mode.current === 'erase' && fixed.has(cell)) onChange([...fixed].filter((p) => p !== cell));
  };

  return (
    <div className="stack">
      <span>
        Fixed pixels <span className="muted small">({pixels.length} held at the reference)</span>
      </span>
      <canvas
        ref={canvas}
        width={shape.width * CELL}
        height={shape.height * CELL}
        className="mask-grid pixelated"
        aria-label="Mask of fixed pixels: drag to paint"
        onPointerDown={(e) => {
          const cell = cellAt(e);
          if (cell === null) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          mode.current = fixed.has(cell) ? 'erase' : 'paint';
          apply(cell);
        }}
        onPointerMove={(e) => apply(cellAt(e))}
        onPointerUp={() => {
          mode.current = null;
        }}
      />
      <div>
        <button
          type="button"
          className="secondary"
          onClick={() => onChange([])}
          disabled={pixels.length === 0}
        >
          Clear mask
        </button>
      </div>
    </div>
  );
}
