import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIsCurrent, ensureBuild } from './nextBuild.ts';

describe('ensureBuild', () => {
  it('waits while another process holds the build lock, then uses the build it made', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'argmax-web-'));
    try {
      await mkdir(join(dir, 'src'));
      await writeFile(join(dir, 'src', 'page.tsx'), 'export default 1;\n');
      const past = new Date(Date.now() - 60_000);
      await utimes(join(dir, 'src', 'page.tsx'), past, past);
      await utimes(join(dir, 'src'), past, past);
      // Another process is building.
      await mkdir(join(dir, '.next-build.lock'));
      let settled = false;
      const ensuring = ensureBuild(dir, () => {
        throw new Error('built although another process was building');
      }).finally(() => {
        settled = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(settled).toBe(false);
      // Its build lands, and it lets go.
      await mkdir(join(dir, '.next'));
      await writeFile(join(dir, '.next', 'BUILD_ID'), 'other');
      expect(buildIsCurrent(dir)).toBe(true);
      await rm(join(dir, '.next-build.lock'), { recursive: true });
      expect(await ensuring).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
