import type { Page } from 'playwright-core';

export interface FrameRecord {
  /** performance.now() in the page when the new image was in the DOM. */
  t: number;
  step: string | null;
  srcLength: number;
}

interface ProbeWindow {
  __argmaxProbe?: {
    clickAt: number | null;
    frames: FrameRecord[];
    lastSrc: string | null;
    paintedAt: number | null;
  };
}

/**
 * Watches the live image inside the page: the time of the click on "Start run" and every change of the
 * image's `src`, with the time the browser next painted it. Survives client-side navigation (same document).
 */
export async function installLiveImageProbe(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as ProbeWindow;
    const probe = {
      clickAt: null as number | null,
      frames: [] as FrameRecord[],
      lastSrc: null as string | null,
      paintedAt: null,
    };
    w.__argmaxProbe = probe;
    document.addEventListener(
      'click',
      (e) => {
        if ((e.target as Element | null)?.closest?.('[data-testid="start-run"]'))
          probe.clickAt = performance.now();
      },
      true,
    );
    const check = () => {
      const img = document.querySelector<HTMLImageElement>('img[data-testid="live-image"]');
      const src = img?.getAttribute('src');
      if (!img || !src || src === probe.lastSrc) return;
      probe.lastSrc = src;
      const record: FrameRecord = {
        t: performance.now(),
        step: img.getAttribute('data-step'),
        srcLength: src.length,
      };
      probe.frames.push(record);
      // The frame is on screen at the next animation frame after it entered the DOM.
      requestAnimationFrame(() => {
        record.t = performance.now();
      });
    };
    new MutationObserver(check).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['src'],
    });
  });
}

export function readLiveImageProbe(page: Page): Promise<{ clickAt: number | null; frames: FrameRecord[] }> {
  return page.evaluate(() => {
    const probe = (window as unknown as ProbeWindow).__argmaxProbe;
    return { clickAt: probe?.clickAt ?? null, frames: probe?.frames ?? [] };
  });
}
