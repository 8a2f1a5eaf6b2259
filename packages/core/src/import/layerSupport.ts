import { UnsupportedError } from '../errors.ts';
import { isModel, type JsonObject, type KerasLayer, type KerasModel, layerName } from './kerasTopology.ts';

/** Layer classes argmax imports (Keras class names; `Sequential`/`Model` as nested models). */
export const supportedLayers = [
  'InputLayer',
  'Dense',
  'Flatten',
  'Reshape',
  'Conv2D',
  'DepthwiseConv2D',
  'Conv2DTranspose',
  'MaxPooling2D',
  'AveragePooling2D',
  'GlobalAveragePooling2D',
  'GlobalMaxPooling2D',
  'ZeroPadding2D',
  'UpSampling2D',
  'BatchNormalization',
  'Dropout',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'Softmax',
  'Add',
  'Concatenate',
  'Sequential',
  'Model',
] as const;

/** Activation names (Keras spelling) whose tfjs implementation matches Keras. */
export const supportedActivations = [
  'linear',
  'relu',
  'relu6',
  'leaky_relu',
  'sigmoid',
  'tanh',
  'softmax',
  'log_softmax',
  'elu',
  'selu',
  'softplus',
  'softsign',
  'swish',
  'gelu',
] as const;

const layerSet = new Set<string>(supportedLayers);
const activationSet = new Set<string>(supportedActivations);

/**
 * Rejects a model with any layer, activation or layer option argmax cannot run faithfully, naming
 * every offending layer with its class, and listing what is supported.
 * @param tfjsFile true for a TF.js file: tfjs wrote it, so its own spellings (e.g. `hard_sigmoid`) are exact.
 */
export function checkSupport(model: KerasModel, file: string, tfjsFile: boolean): void {
  const problems: string[] = [];
  const visit = (layer: KerasLayer) => {
    const name = layerName(layer);
    const className =
      layer.registered_name && !layerSet.has(layer.class_name)
        ? `${layer.class_name}, registered as ${layer.registered_name}`
        : layer.class_name;
    if (!layerSet.has(layer.class_name)) {
      problems.push(`"${name}" (${className}): layer class not supported`);
      return;
    }
    const reason = unsupportedOption(layer.class_name, layer.config, tfjsFile);
    if (reason) problems.push(`"${name}" (${layer.class_name}): ${reason}`);
    if (isModel(layer)) for (const inner of layer.config.layers) visit(inner);
  };
  for (const layer of model.config.layers) visit(layer);
  if (problems.length === 0) return;
  throw new UnsupportedError(
    `${file}: ${problems.length === 1 ? 'a layer' : `${problems.length} layers`} cannot be imported: ` +
      `${problems.join('; ')}. Supported layers: ${supportedLayers.join(', ')}; ` +
      `activations: ${supportedActivations.join(', ')}; channels_last data only`,
  );
}

function unsupportedOption(className: string, config: JsonObject, tfjsFile: boolean): string | undefined {
  if (typeof config.dtype === 'string' && config.dtype !== 'float32')
    return `dtype ${config.dtype} (only float32 models; quantised Keras models are not supported)`;
  const activation = config.activation;
  if (activation != null) {
    if (typeof activation !== 'string') return 'activation given as an object (a custom activation)';
    if (!activationSet.has(activation) && !(tfjsFile && activation === 'hard_sigmoid'))
      return `activation "${activation}" not supported`;
  }
  if (config.data_format === 'channels_first' || config.data_format === 'channelsFirst')
    return 'data_format channels_first not supported';
  switch (className) {
    case 'Conv2D':
    case 'DepthwiseConv2D':
      if (Number(config.groups ?? 1) !== 1)
        return `groups=${config.groups} (grouped convolution) not supported`;
      break;
    case 'Conv2DTranspose':
      if (config.output_padding != null) return 'output_padding not supported';
      if (!isOne(config.dilation_rate)) return 'dilation_rate other than 1 not supported';
      break;
    case 'Dense':
      if (config.lora_rank != null) return 'LoRA-adapted Dense (lora_rank) not supported';
      break;
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      if (config.keepdims === true) return 'keepdims=True not supported';
      break;
    case 'ReLU':
      if (Number(config.threshold ?? 0) !== 0) return 'threshold other than 0 not supported';
      if (Number(config.negative_slope ?? 0) !== 0)
        return 'negative_slope together with max_value not supported';
      break;
    case 'BatchNormalization':
      if (config.renorm === true) return 'renorm=True not supported';
      if (Array.isArray(config.axis) && config.axis.length !== 1)
        return 'normalising over several axes not supported';
      break;
    case 'UpSampling2D':
      if (
        config.interpolation != null &&
        config.interpolation !== 'nearest' &&
        config.interpolation !== 'bilinear'
      )
        return `interpolation "${config.interpolation}" not supported (nearest, bilinear)`;
      break;
    case 'Softmax':
      if (config.axis != null && config.axis !== -1 && !(Array.isArray(config.axis) && config.axis[0] === -1))
        return 'softmax over an axis other than the last not supported';
      break;
  }
  return undefined;
}

function isOne(value: unknown): boolean {
  if (value == null) return true;
  if (Array.isArray(value)) return value.every((v) => Number(v) === 1);
  return Number(value) === 1;
}
