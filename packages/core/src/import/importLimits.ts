/**
 * Upper bounds checked before anything large is allocated: on file and zip-entry sizes before reading
 * or inflating, and on parameter and activation counts from the model config before building.
 * Defaults allow models far larger than argmax can optimise interactively while refusing the absurd.
 */
export interface ImportLimits {
  /** Largest file accepted (bytes): a `.keras`, `.h5`, `model.json` or one weight shard. */
  maxFileBytes: number;
  /** Largest inflated size of one zip entry (declared and actual). */
  maxZipEntryBytes: number;
  /** Largest `config.json` / `metadata.json` / `model.json` (bytes). */
  maxJsonBytes: number;
  /** Most trainable + non-trainable weights in the model. */
  maxParameters: number;
  /** Most values in one layer's output for one example. */
  maxActivationsPerLayer: number;
  /** Most layers, nested models included. */
  maxLayers: number;
}

export const defaultImportLimits: Readonly<ImportLimits> = {
  maxFileBytes: 2 * 1024 ** 3,
  maxZipEntryBytes: 2 * 1024 ** 3,
  maxJsonBytes: 64 * 1024 ** 2,
  maxParameters: 200_000_000,
  maxActivationsPerLayer: 50_000_000,
  maxLayers: 5_000,
};

export function resolveLimits(overrides: Partial<ImportLimits> = {}): ImportLimits {
  return { ...defaultImportLimits, ...overrides };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}
