import { afterEach, describe, expect, it } from 'vitest';
import { cliWasmThreads, wantedWasmThreads } from './wasmThreads.ts';

const saved = process.env.ARGMAX_WASM_THREADS;
afterEach(() => {
  if (saved === undefined) delete process.env.ARGMAX_WASM_THREADS;
  else process.env.ARGMAX_WASM_THREADS = saved;
});

describe('wantedWasmThreads', () => {
  it("answers the caller's fallback without ARGMAX_WASM_THREADS (1 unless asked), at most 8", () => {
    delete process.env.ARGMAX_WASM_THREADS;
    expect(wantedWasmThreads()).toBe(1);
    expect(wantedWasmThreads(2)).toBe(2);
    expect(wantedWasmThreads(32)).toBe(8);
    process.env.ARGMAX_WASM_THREADS = '';
    expect(wantedWasmThreads(2)).toBe(2);
  });

  it('lets ARGMAX_WASM_THREADS override the fallback, and refuses what is not an integer ≥ 1', () => {
    process.env.ARGMAX_WASM_THREADS = '1';
    expect(wantedWasmThreads(2)).toBe(1);
    process.env.ARGMAX_WASM_THREADS = '4';
    expect(wantedWasmThreads()).toBe(4);
    process.env.ARGMAX_WASM_THREADS = '2.5';
    expect(() => wantedWasmThreads(2)).toThrow(/ARGMAX_WASM_THREADS: received "2.5"/);
  });
});

describe('cliWasmThreads', () => {
  it('asks for 2 threads on 2 cores or more while the load leaves part of a core idle, else 1', () => {
    expect(cliWasmThreads(2, 0.5)).toBe(2);
    expect(cliWasmThreads(16, 9)).toBe(2);
    expect(cliWasmThreads(2, 2)).toBe(1);
    expect(cliWasmThreads(2, 13)).toBe(1);
    expect(cliWasmThreads(1, 0)).toBe(1);
  });
});
