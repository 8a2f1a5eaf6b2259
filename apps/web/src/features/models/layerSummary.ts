/** One layer as the server describes it (`Model.layerSummary` is JSON on the wire). */
export interface LayerInfo {
  name: string;
  className: string;
  outputShape: (number | null)[];
  parameters: number;
  activation?: string;
}

/** Reads `layerSummary`, dropping anything malformed rather than trusting the JSON's shape. */
export function parseLayerSummary(summary: unknown): LayerInfo[] {
  if (!Array.isArray(summary)) return [];
  return summary.flatMap((raw): LayerInfo[] => {
    if (raw === null || typeof raw !== 'object') return [];
    const l = raw as Record<string, unknown>;
    if (typeof l.name !== 'string') return [];
    return [
      {
        name: l.name,
        className: typeof l.className === 'string' ? l.className : '?',
        outputShape: Array.isArray(l.outputShape)
          ? l.outputShape.map((d) => (typeof d === 'number' ? d : null))
          : [],
        parameters: typeof l.parameters === 'number' ? l.parameters : 0,
        ...(typeof l.activation === 'string' ? { activation: l.activation } : {}),
      },
    ];
  });
}
