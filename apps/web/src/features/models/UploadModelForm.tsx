'use client';

import { type DragEvent, type FormEvent, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { splitByField } from '../../api/apiProblems.ts';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { FieldError } from '../../components/common/FieldError.tsx';
import { graphql } from '../../graphql/graphql.ts';

// urql sends File variables as a GraphQL multipart request.
const UploadModelMutation = graphql(`
  mutation UploadModel($teamId: ID!, $name: String!, $files: [File!]!) {
    uploadModel(teamId: $teamId, name: $name, files: $files) {
      id
      name
      inputShape
      outputCount
      parameterCount
    }
  }
`);

/** Upload a Keras 3 .keras, a Keras 2 .h5, or a TF.js model.json with its weight shards. */
export function UploadModelForm({ teamId, onUploaded }: { teamId: string; onUploaded: () => void }) {
  const [state, upload] = useMutation(UploadModelMutation);
  const [local, setLocal] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);

  // Dropped files go into the file input, so a drop and a pick are submitted the same way.
  const drop = (event: DragEvent<HTMLFormElement>) => {
    event.preventDefault();
    setDragging(false);
    if (filesInput.current && event.dataTransfer.files.length > 0)
      filesInput.current.files = event.dataTransfer.files;
  };
  const server = splitByField(state.error, (p) =>
    p.field === 'name' || p.field === 'files' ? p.field : undefined,
  );
  const errors = { ...server.fields, ...local };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name') ?? '').trim();
    const files = form.getAll('files').filter((f): f is File => f instanceof File && f.size > 0);
    const problems: Record<string, string> = {};
    if (!name) problems.name = 'must not be empty';
    if (files.length === 0)
      problems.files = 'choose a .keras or .h5 file, or a model.json with its .bin shards';
    setLocal(problems);
    setDone(null);
    if (Object.keys(problems).length > 0) return;
    const result = await upload({ teamId, name, files }, { additionalTypenames: ['Model'] });
    if (result.data) {
      const m = result.data.uploadModel;
      setDone(
        `${m.name}: input ${m.inputShape.join('×')}, ${m.outputCount} outputs, ${m.parameterCount.toLocaleString()} parameters.`,
      );
      onUploaded();
    }
  };

  return (
    <form
      className={dragging ? 'stack dropzone dropzone-active' : 'stack dropzone'}
      onSubmit={submit}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
      noValidate
      aria-label="Upload a model"
    >
      <p className="muted">Drop a .keras, a .h5, or a model.json with its shards here, or pick the files.</p>
      <div className="grid-2">
        <label htmlFor="upload-name">
          Name
          <input id="upload-name" name="name" maxLength={100} aria-invalid={Boolean(errors.name)} />
          <FieldError id="upload-name" message={errors.name} />
        </label>
        <label htmlFor="upload-files">
          Files
          <input
            id="upload-files"
            ref={filesInput}
            name="files"
            type="file"
            multiple
            accept=".keras,.h5,.hdf5,.json,.bin"
            aria-invalid={Boolean(errors.files)}
          />
          <FieldError id="upload-files" message={errors.files} />
        </label>
      </div>
      <ErrorMessage problems={server.general} />
      {done ? (
        <p className="notice" role="status">
          Uploaded and checked with a forward pass. {done}
        </p>
      ) : null}
      <div>
        <button type="submit" disabled={state.fetching}>
          {state.fetching ? 'Uploading and checking…' : 'Upload model'}
        </button>
      </div>
    </form>
  );
}
