import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';

/**
 * Writes every file to a temporary sibling first and renames them into place only when all were
 * written, so a failure leaves no partial output (and no output at all when it happens earlier).
 */
export async function writeFilesAtomically(
  files: { path: string; data: string | Uint8Array }[],
): Promise<void> {
  const suffix = `.tmp-${process.pid}-${Date.now().toString(36)}`;
  const written: string[] = [];
  try {
    for (const file of files) {
      await writeFile(file.path + suffix, file.data);
      written.push(file.path + suffix);
    }
    for (const file of files) await rename(file.path + suffix, file.path);
  } finally {
    await Promise.all(written.map((temp) => rm(temp, { force: true })));
  }
}

/** Checks before any work that `path` can become a new file: its folder exists, it is no folder. */
export async function checkOutputPath(path: string, flag: string): Promise<string> {
  const target = resolve(path);
  const folder = await stat(dirname(target)).catch(() => undefined);
  if (!folder?.isDirectory()) {
    throw new InvalidArgumentError(
      flag,
      path,
      `a file path in an existing folder (${dirname(target)} is not one)`,
    );
  }
  if ((await stat(target).catch(() => undefined))?.isDirectory()) {
    throw new InvalidArgumentError(flag, path, 'a file path (this is a folder)');
  }
  return target;
}
