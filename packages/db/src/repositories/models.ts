import { InvalidArgumentError } from '@argmax/core/errors';
import { type Executor, FOREIGN_KEY_VIOLATION, referencing, sqlState, UNIQUE_VIOLATION } from '../driver.ts';
import { ConflictError } from '../errors.ts';
import { isId, newId } from '../ids.ts';
import { type Json, jsonParam } from '../json.ts';

export const MODEL_ORIGINS = ['builtin', 'trained', 'uploaded'] as const;
export type ModelOrigin = (typeof MODEL_ORIGINS)[number];

/** Everything about a model except its artefacts, which are fetched separately (they can be megabytes). */
export interface ModelSummary {
  id: string;
  /** null for built-in models, which every team can use. */
  teamId: string | null;
  name: string;
  origin: ModelOrigin;
  inputShape: number[];
  outputCount: number;
  classNames: string[] | null;
  layerSummary: Json;
  parameterCount: number;
  createdBy: string | null;
  createdAt: Date;
  weightsBytes: number;
}

/** TF.js layers format: model.json text, and the weights of all shards concatenated in manifest order. */
export interface ModelArtifacts {
  modelJson: string;
  weights: Uint8Array;
}

export interface NewModel extends ModelArtifacts {
  /** null exactly when `origin` is 'builtin'. */
  teamId: string | null;
  name: string;
  origin: ModelOrigin;
  inputShape: number[];
  outputCount: number;
  classNames?: string[] | null;
  layerSummary: Json;
  parameterCount: number;
  createdBy?: string | null;
}

export interface ModelRepository {
  /** Throws ConflictError for a second built-in model of the same name. */
  create(model: NewModel): Promise<ModelSummary>;
  get(id: string): Promise<ModelSummary | null>;
  /** The model with its artefacts, in one read (a job needs both: its weights and what it was made for). */
  getArtifacts(id: string): Promise<(ModelSummary & ModelArtifacts) | null>;
  /** Built-in models first, then the team's own, newest first. */
  listForTeam(teamId: string): Promise<ModelSummary[]>;
  /** For seeding at start: is the built-in model already there? */
  findBuiltin(name: string): Promise<ModelSummary | null>;
  /** Throws ConflictError while runs still use the model (their results would lose their model). */
  delete(id: string): Promise<boolean>;
}

interface ModelRow {
  id: string;
  team_id: string | null;
  name: string;
  origin: ModelOrigin;
  input_shape: number[];
  output_count: number;
  class_names: string[] | null;
  layer_summary: Json;
  parameter_count: number | string;
  created_by: string | null;
  created_at: Date;
  weights_bytes: number;
}

const COLUMNS = `id, team_id, name, origin, input_shape, output_count, class_names, layer_summary,
  parameter_count, created_by, created_at, octet_length(weights) AS weights_bytes`;

const toModel = (row: ModelRow): ModelSummary => ({
  id: row.id,
  teamId: row.team_id,
  name: row.name,
  origin: row.origin,
  inputShape: row.input_shape,
  outputCount: row.output_count,
  classNames: row.class_names,
  layerSummary: row.layer_summary,
  // bigint: pg returns it as a string.
  parameterCount: Number(row.parameter_count),
  createdBy: row.created_by,
  createdAt: row.created_at,
  weightsBytes: row.weights_bytes,
});

const isCount = (n: number) => Number.isSafeInteger(n) && n > 0;

function validate(model: NewModel): void {
  if (!(MODEL_ORIGINS as readonly string[]).includes(model.origin))
    throw new InvalidArgumentError('origin', model.origin, MODEL_ORIGINS.join(' | '));
  if ((model.origin === 'builtin') !== (model.teamId === null))
    throw new InvalidArgumentError(
      'teamId',
      model.teamId,
      'null for built-in models and a team ID otherwise',
    );
  if (model.name.trim() === '' || model.name.length > 200)
    throw new InvalidArgumentError('name', model.name, 'a model name of 1 to 200 characters');
  if (model.inputShape.length === 0 || !model.inputShape.every(isCount))
    throw new InvalidArgumentError('inputShape', model.inputShape, 'a non-empty array of positive integers');
  if (!isCount(model.outputCount))
    throw new InvalidArgumentError('outputCount', model.outputCount, 'a positive integer');
  if (model.classNames != null && model.classNames.length !== model.outputCount)
    throw new InvalidArgumentError(
      'classNames',
      model.classNames,
      `one name per output (${model.outputCount})`,
    );
  if (!Number.isSafeInteger(model.parameterCount) || model.parameterCount < 0)
    throw new InvalidArgumentError('parameterCount', model.parameterCount, 'an integer ≥ 0');
  if (model.modelJson.trim() === '') throw new InvalidArgumentError('modelJson', '', 'the model.json text');
}

export function createModelRepository(db: Executor): ModelRepository {
  return {
    async create(model) {
      validate(model);
      try {
        const { rows } = await referencing(
          db.query<ModelRow>(
            `INSERT INTO models (id, team_id, name, origin, input_shape, output_count, class_names, layer_summary,
             parameter_count, model_json, weights, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12) RETURNING ${COLUMNS}`,
            [
              newId(),
              model.teamId,
              model.name.trim(),
              model.origin,
              model.inputShape,
              model.outputCount,
              model.classNames ?? null,
              jsonParam(model.layerSummary),
              model.parameterCount,
              model.modelJson,
              model.weights,
              model.createdBy ?? null,
            ],
          ),
        );
        return toModel(rows[0]!);
      } catch (error) {
        if (sqlState(error) === UNIQUE_VIOLATION)
          throw new ConflictError(
            'model',
            `a built-in model named ${JSON.stringify(model.name)} already exists`,
          );
        throw error;
      }
    },

    async get(id) {
      if (!isId(id)) return null;
      const { rows } = await db.query<ModelRow>(`SELECT ${COLUMNS} FROM models WHERE id = $1`, [id]);
      return rows[0] === undefined ? null : toModel(rows[0]);
    },

    async getArtifacts(id) {
      if (!isId(id)) return null;
      const { rows } = await db.query<ModelRow & { model_json: string; weights: Uint8Array }>(
        `SELECT ${COLUMNS}, model_json, weights FROM models WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      return row === undefined ? null : { ...toModel(row), modelJson: row.model_json, weights: row.weights };
    },

    async listForTeam(teamId) {
      if (!isId(teamId)) return [];
      const { rows } = await db.query<ModelRow>(
        `SELECT ${COLUMNS} FROM models WHERE team_id = $1 OR team_id IS NULL
         ORDER BY team_id IS NOT NULL, created_at DESC, id DESC`,
        [teamId],
      );
      return rows.map(toModel);
    },

    async findBuiltin(name) {
      const { rows } = await db.query<ModelRow>(
        `SELECT ${COLUMNS} FROM models WHERE team_id IS NULL AND name = $1`,
        [name],
      );
      return rows[0] === undefined ? null : toModel(rows[0]);
    },

    async delete(id) {
      if (!isId(id)) return false;
      try {
        const { rowCount } = await db.query('DELETE FROM models WHERE id = $1', [id]);
        return rowCount > 0;
      } catch (error) {
        if (sqlState(error) === FOREIGN_KEY_VIOLATION)
          throw new ConflictError('model', `model ${id} still has runs; delete them first`);
        throw error;
      }
    },
  };
}
