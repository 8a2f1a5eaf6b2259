import { ModelImportError } from './importError.ts';
import { isObject, type JsonObject } from './kerasTopology.ts';

/**
 * Where Keras 3 keeps each layer's variables in `model.weights.h5`, found the way Keras 3's loader
 * finds them (keras/src/saving/saving_lib.py, 3.0 to 3.x): it walks `model.layers` and names each
 * layer after its CLASS, snake case, numbered per class in that order (`dense`, `dense_1`, ...), never
 * after the layer's name; a nested model continues the walk below its own path
 * (`layers/sequential/layers/dense`). So the order of `model.layers` decides which arrays a layer gets:
 * for a Sequential it is the order of its layers, for a functional model the order `map_graph`
 * (keras/src/ops/function.py) gives the graph rebuilt from the config: deepest first, ties in the
 * order a depth-first walk from the outputs meets them.
 *
 * Works on the config as Keras wrote it (before normalisation, which renames classes and inserts
 * layers). Returns the group path (without `/vars`) for every layer, keyed by `layerKey(path)`, where
 * `path` lists layer names from the top-level layer down.
 */
export function keras3WeightPaths(config: unknown, file: string): Map<string, string> {
  const paths = new Map<string, string>();
  const visited = new Map<string, string>();
  if (!isObject(config)) throw new ModelImportError(file, 'config.json is not a JSON object');
  walkModel(config, [], 'layers', { file, paths, visited });
  return paths;
}

/** The key of a layer path in the map `keras3WeightPaths` returns. */
export function layerKey(path: readonly string[]): string {
  return JSON.stringify(path);
}

/** `keras.src.utils.naming.to_snake_case`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

interface Walk {
  file: string;
  paths: Map<string, string>;
  /** Layers Keras deserialises as one object (`shared_object_id`): saved where the walk first meets them. */
  visited: Map<string, string>;
}

type Entry = JsonObject & { class_name: string; config: JsonObject };

function walkModel(model: JsonObject, names: string[], prefix: string, walk: Walk): void {
  const entries = modelLayers(model, walk.file);
  // _save_container_state: one counter per class name, in the order of model.layers.
  const used = new Map<string, number>();
  for (const entry of entries) {
    let name = toSnakeCase(pythonClass(entry));
    const count = used.get(name);
    used.set(name, count === undefined ? 0 : count + 1);
    if (count !== undefined) name = `${name}_${count + 1}`;
    const layerNames = [...names, entryName(entry)];
    const shared = entry.shared_object_id;
    const sharedKey = shared === undefined || shared === null ? undefined : String(shared);
    const first = sharedKey === undefined ? undefined : walk.visited.get(sharedKey);
    const path = first ?? `${prefix}/${name}`;
    if (sharedKey !== undefined && first === undefined) walk.visited.set(sharedKey, path);
    walk.paths.set(layerKey(layerNames), path);
    if (isNestedModel(entry) && first === undefined) walkModel(entry, layerNames, `${path}/layers`, walk);
  }
}

/** `model.layers` in Keras 3's order. */
function modelLayers(model: JsonObject, file: string): Entry[] {
  const config = isObject(model.config) ? model.config : {};
  const where = `model "${typeof config.name === 'string' ? config.name : '(unnamed)'}"`;
  const raw = config.layers;
  if (!Array.isArray(raw)) throw new ModelImportError(file, `${where} in config.json has no layers list`);
  const entries = raw.map((entry, i) => {
    if (!isObject(entry) || typeof entry.class_name !== 'string' || !isObject(entry.config))
      throw new ModelImportError(file, `layer ${i} of ${where} in config.json has no class_name and config`);
    return entry as Entry;
  });
  const names = new Set<string>();
  for (const entry of entries) {
    const name = entryName(entry);
    if (names.has(name))
      throw new ModelImportError(
        file,
        `${where} has two layers named "${name}"; Keras requires unique names`,
      );
    names.add(name);
  }
  if (model.class_name === 'Sequential')
    // Sequential.layers leaves out the InputLayer at the bottom of the stack.
    return entries[0]?.class_name === 'InputLayer' ? entries.slice(1) : entries;
  return graphOrder(entries, config, where, file).filter((entry) => !isOperation(entry));
}

/** A Keras operation (e.g. `keras.ops.add`) in a functional graph: in model.operations, not model.layers. */
function isOperation(entry: Entry): boolean {
  return typeof entry.module === 'string' && /^keras(\.src)?\.ops(\.|$)/.test(entry.module);
}

function isNestedModel(entry: Entry): boolean {
  return ['Sequential', 'Functional', 'Model'].includes(entry.class_name);
}

/** `keras.Model(inputs, outputs)` is an instance of Functional whatever the config calls it. */
function pythonClass(entry: Entry): string {
  return entry.class_name === 'Model' ? 'Functional' : entry.class_name;
}

function entryName(entry: Entry): string {
  const name = entry.config.name ?? entry.name;
  return typeof name === 'string' ? name : '(unnamed)';
}

/** [layer name, node index, tensor index] of a tensor in a functional config. */
type TensorRef = [string, number, number];

interface GraphNode {
  layer: Entry;
  /** Input tensors in the order Keras flattens the call's arguments; empty for an input node. */
  inputs: TensorRef[];
}

/**
 * `map_graph`: operations ordered by depth (the longest path to an output), deepest first, ties
 * broken by the order in which a depth-first walk from the outputs first meets each operation.
 */
function graphOrder(entries: Entry[], config: JsonObject, where: string, file: string): Entry[] {
  const byName = new Map(entries.map((entry) => [entryName(entry), entry]));
  const offsets = nodeOffsets(entries, config);
  const nodeCache = new Map<string, GraphNode>();
  const nodeOf = ([name, index]: TensorRef): GraphNode => {
    const key = `${name}:${index}`;
    const cached = nodeCache.get(key);
    if (cached) return cached;
    const layer = byName.get(name);
    if (!layer)
      throw new ModelImportError(file, `${where} refers to layer "${name}", which it does not list`);
    let node: GraphNode | undefined;
    if (layer.class_name === 'InputLayer') node = index === 0 ? { layer, inputs: [] } : undefined;
    else {
      const calls = Array.isArray(layer.inbound_nodes) ? layer.inbound_nodes : [];
      const call = calls[index - (offsets.get(name) ?? 0)];
      if (call !== undefined) node = { layer, inputs: callInputs(call) };
    }
    if (!node)
      throw new ModelImportError(
        file,
        `${where} refers to node ${index} of layer "${name}", which has no such call`,
      );
    nodeCache.set(key, node);
    return node;
  };

  // _build_map: depth-first from the outputs, recording nodes in post-order.
  const finished = new Set<GraphNode>();
  const inProgress = new Set<GraphNode>();
  const postOrder: GraphNode[] = [];
  const firstSeen = new Map<Entry, number>();
  const visit = (ref: TensorRef): void => {
    const node = nodeOf(ref);
    if (finished.has(node)) return;
    if (inProgress.has(node))
      throw new ModelImportError(file, `${where}: layer "${ref[0]}" is part of a cycle`);
    if (!firstSeen.has(node.layer)) firstSeen.set(node.layer, firstSeen.size);
    inProgress.add(node);
    for (const input of node.inputs) visit(input);
    finished.add(node);
    inProgress.delete(node);
    postOrder.push(node);
  };
  for (const output of tensorRefs(config.output_layers)) visit(output);

  const nodeDepth = new Map<GraphNode, number>();
  const layerDepth = new Map<Entry, number>();
  for (const node of [...postOrder].reverse()) {
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const input of node.inputs) {
      const parent = nodeOf(input);
      if (finished.has(parent)) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
    }
  }
  // Inputs no output depends on still belong to the model.
  for (const [name] of tensorRefs(config.input_layers)) {
    const layer = byName.get(name);
    if (layer && !layerDepth.has(layer)) {
      layerDepth.set(layer, 0);
      firstSeen.set(layer, -1);
    }
  }
  const depths = [...new Set(layerDepth.values())].sort((a, b) => b - a);
  return depths.flatMap((depth) =>
    [...layerDepth]
      .filter(([, d]) => d === depth)
      .map(([layer]) => layer)
      .sort((a, b) => (firstSeen.get(a) ?? 0) - (firstSeen.get(b) ?? 0)),
  );
}

/**
 * A nested functional model owns node 0 (its inputs to its outputs), so its calls are nodes 1, 2, ...;
 * any other layer's calls count from 0. A reference to node 0 of a nested model means it counts from 0.
 */
function nodeOffsets(entries: Entry[], config: JsonObject): Map<string, number> {
  const refs = [
    ...entries.flatMap((entry) =>
      (Array.isArray(entry.inbound_nodes) ? entry.inbound_nodes : []).flatMap(callInputs),
    ),
    ...tensorRefs(config.output_layers),
  ];
  const offsets = new Map<string, number>();
  for (const entry of entries)
    if (pythonClass(entry) === 'Functional')
      offsets.set(
        entryName(entry),
        refs.some(([name, index]) => name === entryName(entry) && index === 0) ? 0 : 1,
      );
  return offsets;
}

/**
 * The tensors a call takes, in the order of `tree.flatten((args, kwargs))` (dict keys sorted), as
 * Keras 3 writes a call (`{args, kwargs}` with `__keras_tensor__` entries); a legacy call is a list of
 * [layer, node, tensor, kwargs].
 */
function callInputs(call: unknown): TensorRef[] {
  const out: TensorRef[] = [];
  if (Array.isArray(call)) {
    for (const ref of call)
      if (Array.isArray(ref) && typeof ref[0] === 'string')
        out.push([ref[0], Number(ref[1] ?? 0), Number(ref[2] ?? 0)]);
    return out;
  }
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (isObject(value)) {
      if (value.class_name === '__keras_tensor__' && isObject(value.config)) {
        const history = value.config.keras_history;
        if (Array.isArray(history) && typeof history[0] === 'string')
          out.push([history[0], Number(history[1] ?? 0), Number(history[2] ?? 0)]);
      } else for (const key of Object.keys(value).sort()) visit(value[key]);
    }
  };
  if (isObject(call)) {
    visit(call.args);
    visit(call.kwargs);
  }
  return out;
}

/** input_layers / output_layers: one triple, a list of triples, or a dict of them (keys sorted). */
function tensorRefs(value: unknown): TensorRef[] {
  const out: TensorRef[] = [];
  const visit = (item: unknown): void => {
    if (Array.isArray(item) && typeof item[0] === 'string' && typeof item[1] === 'number')
      out.push([item[0], item[1], Number(item[2] ?? 0)]);
    else if (Array.isArray(item)) for (const x of item) visit(x);
    else if (isObject(item)) for (const key of Object.keys(item).sort()) visit(item[key]);
  };
  visit(value);
  return out;
}
