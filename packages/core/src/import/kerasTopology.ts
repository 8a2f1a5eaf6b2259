/**
 * The model topology in the Keras 2 JSON form that tfjs-layers deserialises (`model.to_json()`),
 * snake_case keys as Keras writes them. Every importer turns its file into this form; analysis and
 * building read only this form.
 */
export type JsonObject = Record<string, unknown>;

/** A shape with the batch dimension first; `null` where unknown. */
export type Shape = (number | null)[];

/** One input of a call: [layer name, node index, tensor index, call kwargs]. */
export type TensorRef = [string, number, number, JsonObject];

/** [layer name, node index, tensor index]: a model's input or output. */
export type ModelTensor = [string, number, number];

export interface KerasLayer {
  class_name: string;
  config: JsonObject;
  /** Functional models only. */
  name?: string;
  /** Functional models only: one entry per call of the layer, each the list of its input tensors. */
  inbound_nodes?: TensorRef[][];
  /** Keras 3 custom objects carry `package>Class`; kept for error messages. */
  registered_name?: string;
}

export interface SequentialModel extends KerasLayer {
  class_name: 'Sequential';
  config: JsonObject & { name: string; layers: KerasLayer[] };
}

export interface FunctionalModel extends KerasLayer {
  class_name: 'Model';
  config: JsonObject & {
    name: string;
    layers: KerasLayer[];
    input_layers: ModelTensor[];
    output_layers: ModelTensor[];
  };
}

export type KerasModel = SequentialModel | FunctionalModel;

export function isModel(layer: KerasLayer): layer is KerasModel {
  return layer.class_name === 'Sequential' || layer.class_name === 'Model';
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The name a layer goes by: functional entries have it twice, sequential ones only in config. */
export function layerName(layer: KerasLayer): string {
  const name = layer.config.name ?? layer.name;
  return typeof name === 'string' ? name : '(unnamed)';
}
