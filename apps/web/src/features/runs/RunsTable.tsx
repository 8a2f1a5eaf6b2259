import type { ResultOf } from 'gql.tada';
import Link from 'next/link';
import { formatNumber } from '../live/formatNumber.ts';
import { objectiveText } from '../live/runSpecText.ts';
import { StatusBadge } from '../live/StatusBadge.tsx';
import type { RunsQuery } from './runsQuery.ts';

type RunRow = ResultOf<typeof RunsQuery>['runs']['items'][number];

interface Props {
  runs: readonly RunRow[];
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
}

export function RunsTable({ runs, selected, onToggle }: Props) {
  if (runs.length === 0) return <p className="muted">No runs match.</p>;
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th>
              <span className="visually-hidden">Compare</span>
            </th>
            <th>Best input</th>
            <th>Target</th>
            <th>Model</th>
            <th>Status</th>
            <th>Best value</th>
            <th>Started by</th>
            <th>Created</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            return (
              <tr key={run.id} data-run-id={run.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select run ${run.id} to compare`}
                    checked={selected.has(run.id)}
                    onChange={() => onToggle(run.id)}
                  />
                </td>
                <td>
                  {run.bestImage ? (
                    // biome-ignore lint/performance/noImgElement: data-URL thumbnail
                    <img className="pixelated" src={run.bestImage} alt="" width={40} height={40} />
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  <Link href={`/runs/${run.id}`}>{objectiveText(run.spec, run.model.classNames)}</Link>
                </td>
                <td>{run.model.name}</td>
                <td>
                  <StatusBadge status={run.status} />
                </td>
                <td>{formatNumber(run.value)}</td>
                <td>{run.creator ? (run.creator.displayName ?? run.creator.email) : '—'}</td>
                <td>{new Date(run.createdAt).toLocaleString()}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
