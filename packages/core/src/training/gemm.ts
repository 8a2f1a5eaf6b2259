// Row-major float32 matrix products for the small layers of a dense network, where a tfjs op
// (tensor upload, kernel call, download) costs more than the arithmetic itself.

/** out[m×n] = a[m×k] · b[k×n] */
export function matMul(
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): void {
  out.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      if (aip === 0) continue;
      const bp = p * n;
      for (let j = 0; j < n; j++) out[row + j]! += aip * b[bp + j]!;
    }
  }
}

/** out[k×n] = aᵀ · b for a[m×k], b[m×n] (the weight gradient of a dense layer). */
export function matMulTransA(
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): void {
  out.fill(0, 0, k * n);
  for (let r = 0; r < m; r++) {
    for (let p = 0; p < k; p++) {
      const arp = a[r * k + p]!;
      if (arp === 0) continue;
      const op = p * n;
      const br = r * n;
      for (let j = 0; j < n; j++) out[op + j]! += arp * b[br + j]!;
    }
  }
}

/** out[m×k] = a[m×n] · bᵀ for b[k×n] (the input gradient of a dense layer). */
export function matMulTransB(
  out: Float32Array,
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
): void {
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += a[i * n + j]! * b[p * n + j]!;
      out[i * k + p] = sum;
    }
  }
}

/** Column sums of a[m×n] into out[n] (the bias gradient). */
export function sumRows(out: Float32Array, a: Float32Array, m: number, n: number): void {
  out.fill(0, 0, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j]! += a[i * n + j]!;
}

/** out[k×m] = aᵀ for a[m×k]. */
export function transpose(out: Float32Array, a: Float32Array, m: number, k: number): void {
  for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) out[p * m + i] = a[i * k + p]!;
}
