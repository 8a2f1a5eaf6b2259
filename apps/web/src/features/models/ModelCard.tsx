'use client';

import type { ResultOf } from 'gql.tada';
import Link from 'next/link';
import { useState } from 'react';
import { useClient, useMutation } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { graphql } from '../../graphql/graphql.ts';
import { downloadModel } from './downloadModel.ts';
import { parseLayerSummary } from './layerSummary.ts';
import type { TeamModelsQuery } from './modelsQuery.ts';

type Model = ResultOf<typeof TeamModelsQuery>['models'][number];

const DeleteModelMutation = graphql(`
  mutation DeleteModel($id: ID!) {
    deleteModel(id: $id)
  }
`);

interface Props {
  teamId: string;
  model: Model;
  isSeed: boolean;
  canWrite: boolean;
}

export function ModelCard({ teamId, model, isSeed, canWrite }: Props) {
  const client = useClient();
  const [downloading, setDownloading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [deleting, deleteModel] = useMutation(DeleteModelMutation);
  const layers = parseLayerSummary(model.layerSummary);
  return (
    <article className="card stack" data-testid="model-card">
      <div className="row">
        <h2>{model.name}</h2>
        <span className="badge">{model.origin}</span>
        {isSeed ? <span className="badge">seed model</span> : null}
      </div>
      <dl className="stats">
        <div>
          <dt>Input</dt>
          <dd>{model.inputShape.join(' × ')}</dd>
        </div>
        <div>
          <dt>Outputs</dt>
          <dd>{model.outputCount}</dd>
        </div>
        <div>
          <dt>Parameters</dt>
          <dd>{model.parameterCount.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Weights</dt>
          <dd>{(model.weightsBytes / 1024).toFixed(0)} KiB</dd>
        </div>
      </dl>
      {model.classNames ? <p className="small">Classes: {model.classNames.join(', ')}</p> : null}
      {layers.length > 0 ? (
        <details>
          <summary>{layers.length} layers</summary>
          <div className="table-scroll">
            <table className="small">
              <thead>
                <tr>
                  <th>Layer</th>
                  <th>Type</th>
                  <th>Output</th>
                  <th>Parameters</th>
                </tr>
              </thead>
              <tbody>
                {layers.map((l) => (
                  <tr key={l.name}>
                    <td>{l.name}</td>
                    <td>
                      {l.className}
                      {l.activation ? ` (${l.activation})` : ''}
                    </td>
                    <td>{l.outputShape.map((d) => d ?? '?').join('×')}</td>
                    <td>{l.parameters.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
      <div className="row">
        {canWrite ? (
          <Link className="button" href={`/t/${teamId}/new?model=${model.id}`}>
            New run
          </Link>
        ) : null}
        <button
          type="button"
          className="secondary"
          disabled={downloading}
          onClick={async () => {
            setDownloading(true);
            setProblem(null);
            await downloadModel(client, model.id).catch((e: Error) =>
              setProblem(`Download failed: ${e.message}`),
            );
            setDownloading(false);
          }}
        >
          {downloading ? 'Preparing…' : 'Download (TF.js)'}
        </button>
        {canWrite && model.teamId ? (
          <button
            type="button"
            className="danger"
            disabled={deleting.fetching}
            onClick={() => {
              if (window.confirm(`Delete ${model.name}? Runs that use it keep it alive.`))
                void deleteModel({ id: model.id }, { additionalTypenames: ['Model'] });
            }}
          >
            Delete
          </button>
        ) : null}
      </div>
      {problem ? <p className="error">{problem}</p> : null}
      <ErrorMessage error={deleting.error} />
    </article>
  );
}
