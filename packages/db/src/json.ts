/** What a jsonb column holds. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** jsonb parameters go in as text: pg would turn a JS array into a PostgreSQL array literal instead. */
export function jsonParam(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/**
 * For numbers headed to float8 columns through JSON: JSON has no NaN or ±Infinity, but PostgreSQL's float8
 * input accepts these spellings, so a diverged objective is stored as NaN rather than lost.
 */
export function float8Json(value: number): number | string {
  return Number.isFinite(value) ? value : String(value);
}
