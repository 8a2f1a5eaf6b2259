import type { ResultOf } from 'gql.tada';
import type { RunFieldsFragment } from './runQueries.ts';

export type RunFields = ResultOf<typeof RunFieldsFragment>;
