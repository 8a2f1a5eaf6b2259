'use client';

import Link from 'next/link';
import { useState } from 'react';
import { useQuery } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { Loading } from '../../components/common/Loading.tsx';
import { canWrite } from '../teams/roles.ts';
import { RunFilters, type RunFilterValues } from './RunFilters.tsx';
import { RunsTable } from './RunsTable.tsx';
import { RunFiltersQuery, RunsQuery } from './runsQuery.ts';

const PAGE_SIZES = [10, 20, 50] as const;
const MAX_COMPARE = 4;

/** The team's runs, newest first, filtered by model, status and creator, a page at a time. */
export function RunsListPage({ teamId }: { teamId: string }) {
  const [filters, setFilters] = useState<RunFilterValues>({ modelId: '', creatorId: '', status: '' });
  // Cursors of the pages before this one: "previous" pops, "next" pushes the server's nextCursor.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pageSize, setPageSize] = useState<number>(20);
  const after = cursors.at(-1) ?? null;
  const [options] = useQuery({ query: RunFiltersQuery, variables: { teamId } });
  const [{ data, fetching, error }, refetch] = useQuery({
    query: RunsQuery,
    variables: {
      teamId,
      first: pageSize,
      after,
      modelId: filters.modelId || null,
      creatorId: filters.creatorId || null,
      status: filters.status ? [filters.status] : null,
    },
    requestPolicy: 'cache-and-network',
  });

  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else if (next.size < MAX_COMPARE) next.add(id);
      return next;
    });
  const compare = [...selected];
  return (
    <div className="stack">
      <div className="row">
        <h1>Runs</h1>
        {canWrite(options.data?.team.myRole) ? (
          <Link className="button" href={`/t/${teamId}/new`}>
            New run
          </Link>
        ) : null}
        <button
          type="button"
          className="secondary"
          onClick={() => refetch({ requestPolicy: 'network-only' })}
        >
          Refresh
        </button>
      </div>
      <RunFilters
        values={filters}
        onChange={(next) => {
          setFilters(next);
          setCursors([null]);
        }}
        models={options.data?.models ?? []}
        members={options.data?.team.members ?? []}
      />
      <ErrorMessage error={error ?? options.error} />
      <div className="row">
        <span className="muted small">Select 2–{MAX_COMPARE} runs to compare them.</span>
        {compare.length >= 2 ? (
          <Link className="button secondary" href={`/t/${teamId}/compare?ids=${compare.join(',')}`}>
            Compare {compare.length} runs
          </Link>
        ) : null}
      </div>
      {fetching && !data ? <Loading what="runs" /> : null}
      {data ? <RunsTable runs={data.runs.items} selected={selected} onToggle={toggle} /> : null}
      <div className="row">
        <button
          type="button"
          className="secondary"
          disabled={cursors.length <= 1}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          Previous page
        </button>
        <span className="muted small">Page {cursors.length}</span>
        <label className="inline small" htmlFor="page-size">
          Rows
          <select
            id="page-size"
            value={pageSize}
            style={{ width: 'auto' }}
            onChange={(e) => {
              setPageSize(Number(e.target.value));
              setCursors([null]);
            }}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          disabled={!data?.runs.nextCursor}
          onClick={() => {
            const next = data?.runs.nextCursor;
            if (next) setCursors((c) => [...c, next]);
          }}
        >
          Next page
        </button>
      </div>
    </div>
  );
}
