import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CertificatePanel } from './CertificatePanel.tsx';
import { type CertificateView, isProvenOptimal } from './liveCertificate.ts';
import { RunStats } from './RunStats.tsx';

const certificate = (status: string, proven: boolean | null): CertificateView => ({
  status,
  upperBound: 12.5,
  bestValue: 12.49,
  gap: 0.0008,
  proven,
  method: 'bab',
  reason: null,
  seconds: 3.2,
  history: [],
});

const stats = (proven: boolean) =>
  renderToStaticMarkup(
    createElement(RunStats, {
      status: 'SUCCEEDED',
      step: 99,
      steps: 100,
      objective: 12.3,
      bestValue: 12.49,
      violation: 0,
      stepsPerSecond: null,
      proven,
    }),
  );

describe('a proven optimum is said plainly on the run page', () => {
  it('only a finished certificate that proved it counts', () => {
    expect(isProvenOptimal(certificate('DONE', true))).toBe(true);
    expect(isProvenOptimal(certificate('DONE', false))).toBe(false);
    // A running certificate's last point may say proven before the search has ended: not yet.
    expect(isProvenOptimal(certificate('RUNNING', true))).toBe(false);
    expect(isProvenOptimal(certificate('STOPPED', null))).toBe(false);
    expect(isProvenOptimal(null)).toBe(false);
  });

  it('beside the best value, and in the certificate panel', () => {
    expect(stats(true)).toMatch(/data-testid="best-value-proven"[^>]*>proven optimal</);
    expect(stats(false)).not.toContain('proven optimal');
    const panel = (c: CertificateView) =>
      renderToStaticMarkup(createElement(CertificatePanel, { certificate: c, region: 'BOX' }));
    expect(panel(certificate('DONE', true))).toContain('Proven optimal: no input within the constraints');
    expect(panel(certificate('DONE', false))).not.toContain('Proven optimal');
    expect(panel(certificate('RUNNING', true))).not.toContain('Proven optimal');
  });
});
