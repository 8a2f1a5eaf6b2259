import { ModelImportError } from './importError.ts';
import {
  type FunctionalModel,
  isModel,
  isObject,
  type JsonObject,
  type KerasLayer,
  type KerasModel,
  layerName,
  type ModelTensor,
  type SequentialModel,
  type TensorRef,
} from './kerasTopology.ts';

export interface NormalizeOptions {
  /** The user's file name, for messages. */
  file: string;
  /**
   * Convert a config saved by Keras 2 or 3 into what tfjs-layers reads (dtype policies, Keras 3 call
   * nodes, renamed arguments, ...). Off for TF.js files, which tfjs wrote for itself.
   */
  keras: boolean;
  warnings: string[];
}

/** Default slope of Keras's `leaky_relu` activation function (the LeakyReLU layer's default is 0.3). */
const LEAKY_RELU_FUNCTION_SLOPE = 0.2;

/**
 * Brings a model config from any supported writer into the canonical Keras 2 form (see kerasTopology.ts):
 * unwraps `model_config`, renames `Functional` to `Model`, converts Keras 3 inbound nodes
 * (`{args, kwargs}` with `__keras_tensor__` entries) to `[name, node, tensor, kwargs]` lists, and, for
 * Keras files, turns Keras 3 specifics into their tfjs equivalents.
 */
export function normalizeModelConfig(raw: unknown, options: NormalizeOptions): KerasModel {
  const top = isObject(raw) && isObject(raw.model_config) ? raw.model_config : raw;
  if (!isObject(top))
    throw new ModelImportError(
      options.file,
      'the model config is not a JSON object with class_name and config',
    );
  const layer = normalizeLayer(top, options, 'the model config');
  if (layer.class_name !== 'Sequential' && layer.class_name !== 'Model')
    throw new ModelImportError(
      options.file,
      `the model config describes a ${layer.class_name}; expected a Sequential or functional (Model) model`,
    );
  return layer as KerasModel;
}

function normalizeLayer(raw: JsonObject, options: NormalizeOptions, where: string): KerasLayer {
  if (typeof raw.class_name !== 'string')
    throw new ModelImportError(options.file, `${where} has no class_name; expected {class_name, config}`);
  const className = raw.class_name === 'Functional' ? 'Model' : raw.class_name;
  // Keras <= 2.1 wrote a Sequential's config as the bare list of its layers.
  const rawConfig =
    className === 'Sequential' && Array.isArray(raw.config)
      ? { name: 'sequential', layers: raw.config }
      : raw.config;
  if (!isObject(rawConfig))
    throw new ModelImportError(options.file, `${where} (${className}) has no config object`);
  const layer: KerasLayer = { class_name: className, config: { ...rawConfig } };
  if (typeof raw.name === 'string') layer.name = raw.name;
  if (typeof raw.registered_name === 'string') layer.registered_name = raw.registered_name;
  const name = layerName(layer);
  if (raw.inbound_nodes !== undefined)
    layer.inbound_nodes = normalizeInboundNodes(raw.inbound_nodes, `layer "${name}"`, options.file);
  if (options.keras) convertDtype(layer.config, options);
  if (className === 'Sequential') normalizeSequential(layer as SequentialModel, raw, options);
  else if (className === 'Model') normalizeFunctional(layer as FunctionalModel, options);
  else if (options.keras) convertKerasLayer(layer);
  return layer;
}

function normalizeSequential(model: SequentialModel, raw: JsonObject, options: NormalizeOptions): void {
  const name = layerName(model);
  const rawLayers = model.config.layers as unknown;
  if (!Array.isArray(rawLayers))
    throw new ModelImportError(options.file, `Sequential "${name}" has no layers list`);
  let layers = rawLayers.map((entry, i) =>
    normalizeLayer(isObject(entry) ? entry : {}, options, `layer ${i} of "${name}"`),
  );
  if (options.keras) {
    layers = layers.flatMap((layer) => splitLeakyReluActivation(layer));
    const first = layers[0];
    // Keras 3 may keep the input shape only in build configs when there is no InputLayer.
    if (first && first.class_name !== 'InputLayer' && first.config.batch_input_shape == null) {
      const firstRaw = rawLayers[0] as JsonObject;
      const shape =
        model.config.build_input_shape ??
        (isObject(raw.build_config) ? raw.build_config.input_shape : undefined) ??
        (isObject(firstRaw.build_config) ? firstRaw.build_config.input_shape : undefined);
      if (Array.isArray(shape)) first.config.batch_input_shape = shape;
    }
  }
  model.config.layers = layers;
}

function normalizeFunctional(model: FunctionalModel, options: NormalizeOptions): void {
  const name = layerName(model);
  const rawLayers = model.config.layers as unknown;
  if (!Array.isArray(rawLayers))
    throw new ModelImportError(options.file, `functional model "${name}" has no layers list`);
  let layers = rawLayers.map((entry, i) =>
    normalizeLayer(isObject(entry) ? entry : {}, options, `layer ${i} of "${name}"`),
  );
  model.config.input_layers = normalizeModelTensors(
    model.config.input_layers,
    `"${name}" input_layers`,
    options,
  );
  model.config.output_layers = normalizeModelTensors(
    model.config.output_layers,
    `"${name}" output_layers`,
    options,
  );
  if (options.keras) layers = splitLeakyReluInGraph(layers, model);
  model.config.layers = layers;
  countNestedModelNodesFromOne(model);
}

/**
 * A nested model has a node of its own (inputs to outputs) before its first call, so tfjs numbers its
 * calls from 1, as Keras 2 and tfjs write them. Keras 3 numbers a nested Sequential's calls from 0.
 * A reference to node 0 of a nested model can only mean the 0-based numbering: shift those by one.
 */
function countNestedModelNodesFromOne(model: FunctionalModel): void {
  const nested = new Set(model.config.layers.filter(isModel).map(layerName));
  if (nested.size === 0) return;
  const refs: [string, number, ...unknown[]][] = [
    ...model.config.layers.flatMap((layer) => (layer.inbound_nodes ?? []).flat()),
    ...model.config.output_layers,
  ];
  const zeroBased = new Set(
    refs.filter(([name, node]) => nested.has(name) && node === 0).map(([name]) => name),
  );
  for (const ref of refs) if (zeroBased.has(ref[0])) ref[1] += 1;
}

/** Keras 2: [[[name, node, tensor, kwargs?], ...], ...]; Keras 3: [{args: [...], kwargs: {...}}, ...]. */
function normalizeInboundNodes(raw: unknown, where: string, file: string): TensorRef[][] {
  if (!Array.isArray(raw)) throw new ModelImportError(file, `${where}: inbound_nodes is not a list`);
  return raw.map((node) => {
    if (isObject(node)) {
      const refs: TensorRef[] = [];
      collectKerasTensors(node.args, refs);
      if (refs.length === 0)
        throw new ModelImportError(file, `${where}: a call node has no tensor arguments`);
      return refs;
    }
    if (!Array.isArray(node)) throw new ModelImportError(file, `${where}: an inbound node is not a list`);
    return node.map((ref) => {
      if (!Array.isArray(ref) || typeof ref[0] !== 'string')
        throw new ModelImportError(file, `${where}: an inbound tensor is not [layer, node, tensor, kwargs]`);
      return [ref[0], Number(ref[1] ?? 0), Number(ref[2] ?? 0), isObject(ref[3]) ? ref[3] : {}] as TensorRef;
    });
  });
}

function collectKerasTensors(value: unknown, out: TensorRef[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectKerasTensors(item, out);
  } else if (isObject(value)) {
    if (value.class_name === '__keras_tensor__' && isObject(value.config)) {
      const history = value.config.keras_history;
      if (Array.isArray(history) && typeof history[0] === 'string')
        out.push([history[0], Number(history[1] ?? 0), Number(history[2] ?? 0), {}]);
    } else {
      for (const item of Object.values(value)) collectKerasTensors(item, out);
    }
  }
}

/** Keras 2 lists triples; Keras 3 writes a single input as one bare triple and may use a dict. */
function normalizeModelTensors(raw: unknown, where: string, options: NormalizeOptions): ModelTensor[] {
  const out: ModelTensor[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'number')
      out.push([value[0], value[1], Number(value[2] ?? 0)]);
    else if (Array.isArray(value)) for (const item of value) visit(item);
    else if (isObject(value)) for (const item of Object.values(value)) visit(item);
  };
  visit(raw);
  if (out.length === 0)
    throw new ModelImportError(
      options.file,
      `${where} is missing or empty; expected [[layer, node, tensor], ...]`,
    );
  return out;
}

/** Keras 3 stores a dtype policy object; tfjs takes a dtype name and computes in float32. */
function convertDtype(config: JsonObject, options: NormalizeOptions): void {
  const dtype = config.dtype;
  if (dtype === undefined || dtype === null) return;
  const policy = isObject(dtype) ? (isObject(dtype.config) ? dtype.config.name : undefined) : dtype;
  if (typeof policy !== 'string') {
    delete config.dtype;
    return;
  }
  if (policy === 'float32') config.dtype = 'float32';
  else if (
    policy === 'mixed_float16' ||
    policy === 'mixed_bfloat16' ||
    policy === 'float16' ||
    policy === 'bfloat16' ||
    policy === 'float64'
  ) {
    config.dtype = 'float32';
    const note = `layers saved with dtype policy ${policy} are computed in float32`;
    if (!options.warnings.includes(note)) options.warnings.push(note);
  } else {
    // Quantised policies (int8_from_float32, float8...) store weights differently: layerSupport rejects them.
    config.dtype = policy;
  }
}

/** Keras 2/3 layer arguments that tfjs names or encodes differently. */
function convertKerasLayer(layer: KerasLayer): void {
  const config = layer.config;
  // Initialisers, regularisers and constraints only matter for training from scratch; Keras 3 wraps
  // them in module/registered_name objects tfjs cannot read, and the imported weights replace them.
  for (const key of Object.keys(config))
    if (/_(initializer|regularizer|constraint)$/.test(key)) delete config[key];
  if (typeof config.activation !== 'string' && config.activation != null)
    config.activation = activationName(config.activation);
  if (config.activation === 'silu') config.activation = 'swish';
  switch (layer.class_name) {
    case 'BatchNormalization':
      // tf.keras 2 writes axis as a one-element list.
      if (Array.isArray(config.axis) && config.axis.length === 1) config.axis = config.axis[0];
      break;
    case 'InputLayer':
      if (config.batch_input_shape == null && Array.isArray(config.batch_shape))
        config.batch_input_shape = config.batch_shape;
      if (config.batch_input_shape == null && Array.isArray(config.shape))
        config.batch_input_shape = [null, ...config.shape];
      delete config.batch_shape;
      delete config.shape;
      break;
    case 'LeakyReLU':
      if (config.alpha == null && typeof config.negative_slope === 'number')
        config.alpha = config.negative_slope;
      delete config.negative_slope;
      break;
    case 'Activation':
      if (config.activation === 'leaky_relu') {
        layer.class_name = 'LeakyReLU';
        layer.config = {
          name: config.name,
          trainable: config.trainable ?? true,
          alpha: LEAKY_RELU_FUNCTION_SLOPE,
        };
      }
      break;
    case 'ReLU': {
      // Keras ReLU(negative_slope=a) with no cap or threshold is a LeakyReLU.
      const slope = Number(config.negative_slope ?? 0);
      if (slope !== 0 && config.max_value == null && Number(config.threshold ?? 0) === 0) {
        layer.class_name = 'LeakyReLU';
        layer.config = { name: config.name, trainable: config.trainable ?? true, alpha: slope };
      }
      break;
    }
  }
}

function activationName(value: unknown): unknown {
  // Keras 3 may serialise a built-in activation as {module, class_name: 'function', config: 'relu'}.
  if (isObject(value) && typeof value.config === 'string') return value.config;
  if (isObject(value) && typeof value.class_name === 'string') return value.class_name;
  return value;
}

/** A Dense/Conv layer with activation='leaky_relu' becomes the layer (linear) plus a LeakyReLU layer. */
function splitLeakyReluActivation(layer: KerasLayer): KerasLayer[] {
  if (layer.config.activation !== 'leaky_relu') return [layer];
  layer.config.activation = 'linear';
  return [layer, leakyReluLayer(`${layerName(layer)}_leaky_relu`)];
}

function splitLeakyReluInGraph(layers: KerasLayer[], model: FunctionalModel): KerasLayer[] {
  const out: KerasLayer[] = [];
  const renamed = new Map<string, string>();
  for (const layer of layers) {
    const [original, activation] = splitLeakyReluActivation(layer);
    out.push(original as KerasLayer);
    if (!activation) continue;
    const name = layerName(layer);
    const newName = layerName(activation);
    activation.name = newName;
    activation.inbound_nodes = (layer.inbound_nodes ?? []).map((_, node) => [[name, node, 0, {}]]);
    renamed.set(name, newName);
    out.push(activation);
  }
  if (renamed.size === 0) return out;
  for (const layer of out) {
    if (
      layer.class_name === 'LeakyReLU' &&
      renamed.get(layer.inbound_nodes?.[0]?.[0]?.[0] ?? '') === layerName(layer)
    )
      continue;
    for (const node of layer.inbound_nodes ?? [])
      for (const ref of node) ref[0] = renamed.get(ref[0]) ?? ref[0];
  }
  for (const ref of model.config.output_layers) ref[0] = renamed.get(ref[0]) ?? ref[0];
  return out;
}

function leakyReluLayer(name: string): KerasLayer {
  return {
    class_name: 'LeakyReLU',
    config: { name, trainable: true, dtype: 'float32', alpha: LEAKY_RELU_FUNCTION_SLOPE },
  };
}
