'use strict';
// One pthread of tfjs-backend-wasm's threaded build, in a Node worker thread. Emscripten's worker
// script (shipped as a string for browsers' blob URLs) already speaks worker_threads; it needs the
// globals a classic script would have, and its `importScripts` of the main script (a browser Blob)
// is answered with the module loaded here.
const {
  wasmWorkerContents,
} = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');
const factory = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');

globalThis.require = require;
globalThis.__filename = __filename;
// The string lost its escapes: `\n` inside its string literals became real line breaks.
require('node:vm').runInThisContext(wasmWorkerContents.replace(/\n/g, '\\n'), { filename: __filename });
globalThis.WasmBackendModuleThreadedSimd = factory;
globalThis.importScripts = () => {};
