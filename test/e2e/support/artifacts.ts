import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** test/artifacts/ (gitignored): screenshots and measurements worth looking at after a run. */
export const ARTIFACTS_DIR = new URL('../../artifacts/', import.meta.url).pathname;

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}

export function writeArtifactJson(name: string, value: unknown): string {
  const path = artifactPath(name);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}
