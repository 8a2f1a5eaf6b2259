import { JOB_STATUSES } from '@argmax/db';
import { builder } from './builder.ts';

/** The status of a run or a training job: one lifecycle, one enum. */
export const JobStatusEnum = builder.enumType('JobStatus', { values: JOB_STATUSES });
