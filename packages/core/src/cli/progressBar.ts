import type { CliIo } from './command.ts';

export interface ProgressBar {
  /** `done` of `total` units; `detail` follows the bar (e.g. the current objective). */
  update(done: number, total: number, detail?: string): void;
  /** Clears the bar line (the terminal is left as it was before the first update). */
  clear(): void;
}

export interface ProgressBarOptions {
  /** Characters inside the brackets (default 24). */
  width?: number;
  /** Redraw at most this often, except for the last unit (default 100 ms). */
  intervalMs?: number;
  now?: () => number;
}

/**
 * One rewritable line on stderr when it is a terminal; nothing at all otherwise, so piped output and
 * CI logs stay quiet and JSON-friendly.
 */
export function progressBar(io: CliIo, options: ProgressBarOptions = {}): ProgressBar {
  const width = options.width ?? 24;
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? (() => performance.now());
  let shown = false;
  let lastDraw = Number.NEGATIVE_INFINITY;
  return {
    update(done, total, detail) {
      if (!io.isTTY) return;
      const t = now();
      if (done < total && t - lastDraw < intervalMs) return;
      lastDraw = t;
      const fraction = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
      const filled = Math.round(fraction * width);
      const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
      io.stderr(
        `\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${percent}${detail ? ` ${detail}` : ''}`,
      );
      shown = true;
    },
    clear() {
      if (shown) io.stderr('\r\x1b[2K');
      shown = false;
    },
  };
}
