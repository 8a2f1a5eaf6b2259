import type { CERTIFICATE_STATUSES, CertificateBound } from '@argmax/db';
import { type ApiTypes, builder } from '../../graphql/builder.ts';
import type { RunBoundEvent } from '../../pubsub/eventBus.ts';
import type { CERTIFICATE_REGIONS, CertificateFigures, CertificateView } from './certificateView.ts';

/** Types of a run's certificate; `runTypes.ts` puts them on `Run.certificate` and in the `RunEvent` union. */
export const CertificateStatusEnum = builder.enumType('CertificateStatus', {
  values: {
    PENDING: { description: 'Waiting for the optimisation to finish.' },
    RUNNING: { description: 'Bounds are arriving.' },
    DONE: { description: 'Finished: upperBound holds for every input; proven says whether it is reached.' },
    UNSUPPORTED: { description: 'No certificate for this model, objective or constraints: see reason.' },
    OFF: { description: 'Not asked for (certify.timeLimitSeconds was 0).' },
    STOPPED: { description: 'The run ended (cancelled, failed, server restart) first: see reason.' },
  } satisfies Record<(typeof CERTIFICATE_STATUSES)[number], unknown>,
});

export const CertificateRegionEnum = builder.enumType('CertificateRegion', {
  description: 'The inputs a certificate’s upperBound holds over.',
  values: {
    BOX: { description: 'Every input within the run’s box and other input constraints.' },
    PRIOR: {
      description:
        'Every input the search in the prior could return (the subspace searched, within its bounds and ball, decoded and clipped to the box): the realistic answer’s bound, not the box’s.',
    },
  } satisfies Record<(typeof CERTIFICATE_REGIONS)[number], unknown>,
});

const statusOf = (status: string) => status as (typeof CERTIFICATE_STATUSES)[number];

export const CertificateBoundRef = builder.objectRef<CertificateBound>('CertificateBound').implement({
  description: 'Where the bound stood after `seconds` of certification.',
  fields: (t) => ({
    seconds: t.exposeFloat('seconds'),
    upperBound: t.exposeFloat('upperBound'),
    bestValue: t.exposeFloat('bestValue', { nullable: true }),
    gap: t.exposeFloat('gap', { nullable: true }),
    method: t.exposeString('method'),
  }),
});

/** The figures a certificate states, and each of its bound events with it. */
type Figures = Omit<CertificateFigures, 'status'>;

/** The fields of the figures, declared once for `RunCertificate` and `RunBoundEvent`. */
const figureFields = <Shape extends Figures>(t: PothosSchemaTypes.ObjectFieldBuilder<ApiTypes, Shape>) => ({
  bestValue: t.float({
    nullable: true,
    description: 'Best objective value the certifier vouches for (float64 forward pass).',
    resolve: (c) => c.bestValue,
  }),
  upperBound: t.float({
    nullable: true,
    description: 'Sound upper bound on the objective over the constraints (float32 round-off included).',
    resolve: (c) => c.upperBound,
  }),
  gap: t.float({
    nullable: true,
    description: '(upperBound − bestValue) / |upperBound|; null while no feasible value is known.',
    resolve: (c) => c.gap,
  }),
  proven: t.boolean({
    nullable: true,
    description:
      'bestValue is the optimum (exact arithmetic, relative 1e-4). upperBound also covers float32 round-off, so a proven optimum can keep a small gap.',
    resolve: (c) => c.proven,
  }),
  method: t.string({
    nullable: true,
    description: 'What produced the bound: ibp, crown (α-CROWN), bab (branch and bound) or milp.',
    resolve: (c) => c.method,
  }),
  reason: t.string({
    nullable: true,
    description: 'Why there is no certificate (UNSUPPORTED, OFF) or why it is incomplete (STOPPED).',
    resolve: (c) => c.reason,
  }),
  seconds: t.float({ nullable: true, description: 'Certification time so far.', resolve: (c) => c.seconds }),
});

export const RunCertificateRef = builder.objectRef<CertificateView>('RunCertificate').implement({
  description:
    'How close the run got: no input within its constraints scores above upperBound, and bestValue is reached by an input (the run’s best input, unless the constraints had to be relaxed to bound them).',
  fields: (t) => ({
    status: t.field({ type: CertificateStatusEnum, resolve: (c) => c.status }),
    region: t.field({ type: CertificateRegionEnum, resolve: (c) => c.region }),
    timeLimitSeconds: t.exposeFloat('timeLimitSeconds'),
    ...figureFields(t),
    history: t.field({
      type: [CertificateBoundRef],
      description: 'Every bound point, oldest first (thinned to log-spaced times on long certificates).',
      resolve: (c) => c.history,
    }),
  }),
});

export const RunBoundEventRef = builder.objectRef<RunBoundEvent>('RunBoundEvent').implement({
  description:
    'The certificate moved: a new bound point (status RUNNING), or its final word (DONE, UNSUPPORTED, STOPPED).',
  fields: (t) => ({
    runId: t.exposeID('runId'),
    index: t.exposeInt('index', {
      description: 'Place of this point in Run.certificate.history; the final event has its length.',
    }),
    certificateStatus: t.field({
      type: CertificateStatusEnum,
      description: 'Named apart from RunStatusEvent.status so one selection can ask for both.',
      resolve: (e) => statusOf(e.status),
    }),
    ...figureFields(t),
    publishedAt: t.exposeFloat('publishedAt', {
      nullable: true,
      description: 'Server time (ms since the epoch) it was published; null when replayed from storage.',
    }),
  }),
});
