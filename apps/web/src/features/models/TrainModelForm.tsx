'use client';

import { type FormEvent, useState } from 'react';
import { useMutation } from 'urql';
import { splitByField } from '../../api/apiProblems.ts';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { TextField } from '../../components/common/TextField.tsx';
import { TrainModelMutation } from './trainingQueries.ts';

interface Props {
  teamId: string;
  onStarted: (job: { id: string; name: string }) => void;
}

/** Train a Fashion-MNIST/MNIST model as a job (the server's rules: 1–50 epochs, seed ≥ 0). */
export function TrainModelForm({ teamId, onStarted }: Props) {
  const [state, train] = useMutation(TrainModelMutation);
  const [name, setName] = useState('');
  const [dataset, setDataset] = useState('fashion-mnist');
  const [arch, setArch] = useState('mlp');
  const [epochs, setEpochs] = useState('3');
  const [seed, setSeed] = useState('42');
  const [batches, setBatches] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});
  const server = splitByField(state.error);
  const errors = { ...server.fields, ...local };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const e = Number(epochs);
    const s = Number(seed);
    const b = batches.trim() === '' ? null : Number(batches);
    if (!name.trim()) problems.name = 'must not be empty';
    if (!Number.isInteger(e) || e < 1 || e > 50) problems.epochs = 'must be a whole number from 1 to 50';
    if (!Number.isInteger(s) || s < 0) problems.seed = 'must be a whole number ≥ 0';
    if (b !== null && (!Number.isInteger(b) || b < 1))
      problems.batchesPerEpoch = 'must be a whole number ≥ 1';
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    const result = await train(
      { teamId, name: name.trim(), dataset, arch, epochs: e, seed: s, batchesPerEpoch: b },
      { additionalTypenames: ['TrainingJob'] },
    );
    if (result.data) onStarted({ id: result.data.trainModel.id, name: name.trim() });
  };

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label="Train a model">
      <div className="grid-2">
        <TextField
          id="train-name"
          label="Name"
          value={name}
          onChange={setName}
          error={errors.name}
          inputMode="text"
        />
        <label htmlFor="dataset">
          Dataset
          <select id="dataset" value={dataset} onChange={(ev) => setDataset(ev.target.value)}>
            <option value="fashion-mnist">Fashion-MNIST</option>
            <option value="mnist">MNIST</option>
          </select>
        </label>
        <label htmlFor="arch">
          Architecture
          <select id="arch" value={arch} onChange={(ev) => setArch(ev.target.value)}>
            <option value="mlp">MLP</option>
            <option value="cnn">Small CNN</option>
          </select>
        </label>
        <TextField
          id="epochs"
          label="Epochs"
          value={epochs}
          onChange={setEpochs}
          error={errors.epochs}
          inputMode="numeric"
        />
        <TextField
          id="seed"
          label="Seed"
          value={seed}
          onChange={setSeed}
          error={errors.seed}
          inputMode="numeric"
        />
        <TextField
          id="batchesPerEpoch"
          label="Batches per epoch"
          value={batches}
          onChange={setBatches}
          error={errors.batchesPerEpoch}
          inputMode="numeric"
          placeholder="all (full epoch)"
        />
      </div>
      <ErrorMessage problems={server.general} />
      <div>
        <button type="submit" disabled={state.fetching}>
          {state.fetching ? 'Starting…' : 'Train model'}
        </button>
      </div>
    </form>
  );
}
