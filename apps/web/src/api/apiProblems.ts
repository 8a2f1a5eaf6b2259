import type { CombinedError } from 'urql';

/** One thing the API (or the network) said went wrong, in the shape the UI shows. */
export interface ApiProblem {
  message: string;
  /** `extensions.code`: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, BAD_USER_INPUT, LIMIT_EXCEEDED, CONFLICT, ... */
  code?: string;
  /** For BAD_USER_INPUT: the input path the server rejected, e.g. `constraints.box.lo`. */
  field?: string;
  /** For LIMIT_EXCEEDED: which limit, e.g. `maxStepsPerRun`. */
  limit?: string;
}

export function problemsOf(error: CombinedError | undefined): ApiProblem[] {
  if (!error) return [];
  if (error.networkError)
    return [
      {
        message: `Cannot reach the server (${error.networkError.message}). Check your connection and retry.`,
      },
    ];
  return error.graphQLErrors.map((e) => {
    const { code, field, limit } = e.extensions as { code?: unknown; field?: unknown; limit?: unknown };
    return {
      message: e.message,
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof field === 'string' ? { field } : {}),
      ...(typeof limit === 'string' ? { limit } : {}),
    };
  });
}

export const hasCode = (error: CombinedError | undefined, code: string) =>
  problemsOf(error).some((p) => p.code === code);

/**
 * Splits problems into messages for named form fields and the rest. `fieldOf` maps a problem to a form
 * field name (by default its `field`); unmapped problems go to the form as a whole.
 */
export function splitByField(
  error: CombinedError | undefined,
  fieldOf: (p: ApiProblem) => string | undefined = (p) => p.field,
): { fields: Record<string, string>; general: ApiProblem[] } {
  const fields: Record<string, string> = {};
  const general: ApiProblem[] = [];
  for (const p of problemsOf(error)) {
    const name = fieldOf(p);
    if (name && !(name in fields)) fields[name] = stripFieldPrefix(p.message, p.field);
    else general.push(p);
  }
  return { fields, general };
}

/** Server messages start with the field path ("steps: must be ≥ 1"); beside the field that is noise. */
function stripFieldPrefix(message: string, field: string | undefined): string {
  return field && message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message;
}
