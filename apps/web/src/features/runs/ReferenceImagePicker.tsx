'use client';

import { useState } from 'react';
import { FieldError } from '../../components/common/FieldError.tsx';
import { imageShape, rgbaToInput } from './referenceImage.ts';

interface Props {
  inputShape: readonly number[];
  range: readonly [number, number];
  reference: number[] | null;
  onChange: (reference: number[] | null) => void;
  error?: string | undefined;
  /** The file input's id (default `reference-file`): the form may hold two pickers. */
  id?: string;
  label?: string;
  /** The form field its error belongs to (default `reference`). */
  field?: string;
}

/**
 * Upload a PNG (any size): it is resized to the model's input in the browser and turned into grey (or RGB)
 * values in the box. The API has no test-set image query yet, so uploading is the way to pick one.
 */
export function ReferenceImagePicker({
  inputShape,
  range,
  reference,
  onChange,
  error,
  id = 'reference-file',
  label = 'Reference image',
  field = 'reference',
}: Props) {
  const shape = imageShape(inputShape);
  const [file, setFile] = useState<File | null>(null);
  const [invert, setInvert] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const load = async (next: File | null, inverted: boolean) => {
    setFile(next);
    setProblem(null);
    if (!next || !shape) return onChange(null);
    try {
      const bitmap = await createImageBitmap(next);
      const canvas = document.createElement('canvas');
      canvas.width = shape.width;
      canvas.height = shape.height;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('this browser gives no 2D canvas');
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(bitmap, 0, 0, shape.width, shape.height);
      const { data } = ctx.getImageData(0, 0, shape.width, shape.height);
      onChange(rgbaToInput(data, shape.width * shape.height, shape.channels, range, inverted));
    } catch (e) {
      setProblem(`Could not read ${next.name}: ${(e as Error).message}`);
      onChange(null);
    }
  };

  if (!shape) return <p className="muted">This model's input is not an image ({inputShape.join('×')}).</p>;
  return (
    <div className="stack">
      <label htmlFor={id}>
        {label} (PNG, resized to {shape.width}×{shape.height})
        <input
          id={id}
          type="file"
          accept="image/png,image/*"
          onChange={(e) => load(e.target.files?.[0] ?? null, invert)}
          aria-invalid={Boolean(error)}
        />
      </label>
      <label className="inline">
        <input
          type="checkbox"
          checked={invert}
          onChange={(e) => {
            setInvert(e.target.checked);
            void load(file, e.target.checked);
          }}
        />
        Invert (for dark drawings on a light background)
      </label>
      {reference ? <span className="muted small">Reference loaded: {reference.length} values.</span> : null}
      {problem ? <span className="field-error">{problem}</span> : null}
      <FieldError id={field} message={error} />
    </div>
  );
}
