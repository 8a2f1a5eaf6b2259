'use client';

import { useEffect, useMemo } from 'react';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { AccentuationPanel } from './AccentuationPanel.tsx';
import { CancelRunButton } from './CancelRunButton.tsx';
import { CertificatePanel } from './CertificatePanel.tsx';
import { FrameStrip } from './FrameStrip.tsx';
import { FrontierChart } from './FrontierChart.tsx';
import { GifDownloadButton } from './GifDownloadButton.tsx';
import { LiveImage } from './LiveImage.tsx';
import { isProvenOptimal } from './liveCertificate.ts';
import { isFinalStatus, stepsPerSecond } from './liveRunState.ts';
import { ObjectiveChart } from './ObjectiveChart.tsx';
import { PriorProgress } from './PriorProgress.tsx';
import { ProbabilityBars } from './ProbabilityBars.tsx';
import { PrototypeStrip } from './PrototypeStrip.tsx';
import { RealismPanel } from './RealismPanel.tsx';
import { RunStats } from './RunStats.tsx';
import type { RunSource } from './runSource.ts';
import { constraintTexts, objectiveText, runSizeText, targetClass } from './runSpecText.ts';
import type { LiveRunFields } from './runTypes.ts';
import { ShareLinkButton } from './ShareLinkButton.tsx';
import { StepScrubber } from './StepScrubber.tsx';
import { useLiveRun } from './useLiveRun.ts';
import { mergeCurves, useStoredCurve } from './useStoredCurve.ts';

interface Props {
  run: LiveRunFields;
  source: RunSource;
  /** Members and owners may cancel and share; viewers and share-link visitors only watch. */
  canWrite: boolean;
  /** Called once the stream reports a final status the loaded run does not have yet (to refetch it). */
  onFinished: () => void;
}

/** The live page: image, frames, curve, outputs, stats; after the run, scrubber and downloads. */
export function LiveRunView({ run, source, canWrite, onFinished }: Props) {
  const { live, error } = useLiveRun(source);
  const stored = useStoredCurve(source, run.stepCount);
  const curve = useMemo(() => mergeCurves(stored, live.curve), [stored, live.curve]);
  const status = live.status ?? run.status;
  const finished = isFinalStatus(status);
  const loadedFinal = isFinalStatus(run.status);
  useEffect(() => {
    if (finished && !loadedFinal) onFinished();
  }, [finished, loadedFinal, onFinished]);

  const { spec } = run;
  const constraints = constraintTexts(spec);
  const image = live.image ?? run.bestImage;
  // The stream replays the certificate's history on joining, so once it has spoken it is the fresher.
  const certificate = live.certificate ?? run.certificate;
  // A share link shows the display name only; a team member's page falls back to the e-mail.
  const creator = run.creator?.displayName ?? run.creator?.email;
  // A budget's choice: stored once the run has started, and on every step event.
  const chosen =
    run.budget ??
    (live.steps !== null && live.restarts !== null ? { steps: live.steps, restarts: live.restarts } : null);
  return (
    <div className="stack">
      <header className="stack" style={{ gap: '0.25rem' }}>
        <h1>Maximise {objectiveText(spec, run.model.classNames)}</h1>
        <p className="muted small">
          {run.model.name} · {spec.method} · {runSizeText(spec, chosen)}
          {spec.seed !== null ? ` · seed ${spec.seed}` : ''}
          {constraints.length > 0 ? ` · ${constraints.join(', ')}` : ''}
          {creator ? ` · by ${creator}` : ''}
          {run.backend ? ` · ${run.backend} backend` : ''}
        </p>
      </header>
      <ErrorMessage error={error} />
      {status === 'FAILED' ? (
        <p className="error" role="alert">
          The run failed: {live.error ?? run.error ?? 'no reason given'}
        </p>
      ) : null}
      {live.prior && status === 'QUEUED' ? <PriorProgress {...live.prior} /> : null}
      <div className="live-layout">
        <section className="stack" aria-label="Input">
          <LiveImage image={image} step={live.imageStep} label="Current input" />
          <FrameStrip frames={live.frames} />
          <div className="row">
            {canWrite && !finished ? <CancelRunButton runId={run.id} /> : null}
            {finished && run.bestImage ? (
              <a className="button secondary" href={run.bestImage} download={`run-${run.id}-best.png`}>
                Download PNG
              </a>
            ) : null}
            {finished && run.snapshotSteps.length > 0 ? (
              <GifDownloadButton source={source} steps={run.snapshotSteps} />
            ) : null}
          </div>
          {canWrite && finished ? <ShareLinkButton runId={run.id} /> : null}
          {finished && loadedFinal ? (
            <section className="card stack">
              <h3>Snapshots</h3>
              <StepScrubber source={source} steps={run.snapshotSteps} />
            </section>
          ) : null}
        </section>
        <section className="stack" aria-label="Measurements">
          <RunStats
            status={status}
            step={live.step}
            steps={live.steps ?? chosen?.steps ?? spec.steps}
            objective={live.objective}
            bestValue={run.value}
            violation={live.violation ?? run.violation}
            stepsPerSecond={finished ? null : stepsPerSecond(live)}
            proven={isProvenOptimal(certificate)}
          />
          <ObjectiveChart curve={curve} upperBound={certificate?.upperBound ?? null} />
          <section className="card stack">
            <h3>{finished ? 'Outputs at the best input' : 'Outputs now'}</h3>
            <ProbabilityBars
              outputs={finished ? (run.outputs ?? live.outputs) : live.outputs}
              classNames={run.model.classNames}
              targetIndex={targetClass(spec)}
            />
          </section>
          <CertificatePanel certificate={certificate} region={run.certificate?.region ?? null} />
        </section>
      </div>
      {finished && run.accentuation ? (
        <AccentuationPanel accentuation={run.accentuation} answer={run.bestImage} value={run.value} />
      ) : null}
      {finished && run.prototypes ? <PrototypeStrip prototypes={run.prototypes} /> : null}
      {finished && run.realism ? (
        <RealismPanel realism={run.realism} answer={run.bestImage} classNames={run.model.classNames} />
      ) : null}
      {finished && run.realism?.frontier ? <FrontierChart points={run.realism.frontier} /> : null}
    </div>
  );
}
