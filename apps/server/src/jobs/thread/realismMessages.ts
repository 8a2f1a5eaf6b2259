import type { FrontierPoint, Realism, RealismBounds, realismChecks } from '@argmax/core';

/** How realistic a run's best input is, measured in the worker against its model's dataset prior. */
export interface RealismMessage {
  type: 'realism';
  dataset: string;
  /** The class the run maximised (the judges are asked for it); null for unit and channel targets. */
  targetClass: number | null;
  realism: Realism;
  /** The nearest training image itself, in the model's flat input order. */
  nearestInput: Float32Array;
  bounds: RealismBounds;
  checks: ReturnType<typeof realismChecks>;
  realistic: boolean;
  /** The price of realism along the search's answer (core's realismFrontier); null when the run did not search a class subspace. */
  frontier: FrontierPoint[] | null;
}

/**
 * What a search in a prior found beside its answer: the accentuation's anchor (the image the search
 * started from and stayed near) and the diverse prototypes, each measured against the prior.
 */
export interface PriorSearchMessage {
  type: 'prior-search';
  anchor: {
    /** Row of the prior's training sample; null for the user's reference image. */
    index: number | null;
    input: Float32Array;
    value: number;
    /** The objective at the anchor's projection onto the class subspace (the search's centre). */
    centreValue: number;
    /** The search's ball radius around that projection (whitened units). */
    radius: number;
    improved: boolean;
  } | null;
  prototypes: { input: Float32Array; value: number; realism: Realism; realistic: boolean }[] | null;
}

/** A prior being built: its stage, and how far along (0–1). */
export interface PriorProgressMessage {
  type: 'prior-progress';
  fraction: number;
  message: string;
}

export const isRealismMessage = (event: { type: string }): event is RealismMessage =>
  event.type === 'realism';
export const isPriorSearchMessage = (event: { type: string }): event is PriorSearchMessage =>
  event.type === 'prior-search';
export const isPriorProgress = (event: { type: string }): event is PriorProgressMessage =>
  event.type === 'prior-progress';
