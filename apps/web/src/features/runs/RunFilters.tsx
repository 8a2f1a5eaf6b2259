import { JOB_STATUSES, type JobStatus } from './runsQuery.ts';

export interface RunFilterValues {
  modelId: string;
  creatorId: string;
  status: JobStatus | '';
}

interface Props {
  values: RunFilterValues;
  onChange: (values: RunFilterValues) => void;
  models: readonly { id: string; name: string }[];
  members: readonly { user: { id: string; email: string; displayName: string | null } }[];
}

export function RunFilters({ values, onChange, models, members }: Props) {
  return (
    <div className="grid-2">
      <label htmlFor="filter-model">
        Model
        <select
          id="filter-model"
          value={values.modelId}
          onChange={(e) => onChange({ ...values, modelId: e.target.value })}
        >
          <option value="">All models</option>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor="filter-status">
        Status
        <select
          id="filter-status"
          value={values.status}
          onChange={(e) => onChange({ ...values, status: e.target.value as JobStatus | '' })}
        >
          <option value="">Any status</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      <label htmlFor="filter-creator">
        Started by
        <select
          id="filter-creator"
          value={values.creatorId}
          onChange={(e) => onChange({ ...values, creatorId: e.target.value })}
        >
          <option value="">Anyone</option>
          {members.map((m) => (
            <option key={m.user.id} value={m.user.id}>
              {m.user.displayName ?? m.user.email}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
