import { describe, expect, it } from 'vitest';
import type { CliIo } from './command.ts';
import { progressBar } from './progressBar.ts';

function capture(isTTY: boolean) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t), isTTY };
  return { io, out };
}

describe('progressBar', () => {
  it('redraws one line on a terminal, throttled, always showing the last unit', () => {
    const { io, out } = capture(true);
    let clock = 0;
    const bar = progressBar(io, { width: 10, intervalMs: 100, now: () => clock });
    bar.update(1, 4, 'objective 1.5');
    clock = 50;
    bar.update(2, 4); // within 100 ms: skipped
    clock = 60;
    bar.update(4, 4, 'objective 9');
    bar.clear();
    const frames = out.stderr.split('\r\x1b[2K').filter(Boolean);
    expect(frames).toEqual(['[###-------] 1/4  25% objective 1.5', '[##########] 4/4 100% objective 9']);
    expect(out.stderr.endsWith('\r\x1b[2K')).toBe(true);
    expect(out.stdout).toBe('');
  });

  it('writes nothing when stderr is not a terminal', () => {
    const { io, out } = capture(false);
    const bar = progressBar(io);
    bar.update(1, 2);
    bar.update(2, 2);
    bar.clear();
    expect(out).toEqual({ stdout: '', stderr: '' });
  });
});
