import { ModelImportError } from './importError.ts';
import { formatBytes } from './importLimits.ts';

/** Parses a JSON file from bytes, refusing oversized input before decoding it. */
export function parseJson(bytes: Uint8Array, file: string, maxBytes: number): unknown {
  if (bytes.length > maxBytes)
    throw new ModelImportError(
      file,
      `is ${formatBytes(bytes.length)} of JSON; the limit is ${formatBytes(maxBytes)}`,
    );
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ModelImportError(file, `is not valid JSON (${(error as Error).message})`);
  }
}

/** Keras writes NaN/Infinity into JSON configs as bare words (Python's json allows them). */
export function parseKerasJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text.replace(/(?<=[:,[]\s*)(-?Infinity|NaN)(?=\s*[,\]}])/g, 'null'));
  } catch (error) {
    throw new ModelImportError(file, `model config is not valid JSON (${(error as Error).message})`);
  }
}
