import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/**
 * A client as a script or browser would use the API: real HTTP with a cookie jar (or a Bearer token), and
 * real WebSocket subscriptions over graphql-ws. For tests and benchmarks.
 */
export class ApiClient {
  private cookie: string | undefined;

  constructor(
    readonly url: string,
    private token?: string,
  ) {}

  withToken(token: string): ApiClient {
    return new ApiClient(this.url, token);
  }

  async request<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<GraphQLResponse<T>> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    const setCookie = response.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0];
    return (await response.json()) as GraphQLResponse<T>;
  }

  /** A GraphQL multipart request: `files` fill the variable `$files` ([File!]!) in order. */
  async upload<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    files: { name: string; bytes: Uint8Array }[],
  ): Promise<GraphQLResponse<T> & { status: number }> {
    const form = new FormData();
    form.set(
      'operations',
      JSON.stringify({ query, variables: { ...variables, files: files.map(() => null) } }),
    );
    form.set(
      'map',
      JSON.stringify(Object.fromEntries(files.map((_, i) => [String(i), [`variables.files.${i}`]]))),
    );
    for (const [i, f] of files.entries()) form.set(String(i), new Blob([new Uint8Array(f.bytes)]), f.name);
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: form,
    });
    return { ...((await response.json()) as GraphQLResponse<T>), status: response.status };
  }

  /** Like request, but throws on errors and returns data. */
  async data<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
  ): Promise<T> {
    const result = await this.request<T>(query, variables);
    if (result.errors?.length) throw new Error(`GraphQL error: ${JSON.stringify(result.errors)}`);
    return result.data as T;
  }

  /** Subscribes over WebSocket; resolves with every event once the server completes the stream. */
  subscribe<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    onEvent?: (event: T) => void,
  ): { events: Promise<T[]>; dispose: () => void } {
    const headers = { ...(this.cookie ? { cookie: this.cookie } : {}) };
    const client = createClient({
      url: this.url.replace(/^http/, 'ws'),
      webSocketImpl: class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers });
        }
      },
      connectionParams: this.token ? { authorization: `Bearer ${this.token}` } : {},
      retryAttempts: 0,
    });
    const received: T[] = [];
    let dispose = () => {};
    const events = new Promise<T[]>((resolve, reject) => {
      dispose = client.subscribe<T>(
        { query, variables },
        {
          next: (value) => {
            if (value.errors?.length) {
              reject(Object.assign(new Error(value.errors[0]!.message), { errors: value.errors }));
              return;
            }
            received.push(value.data as T);
            onEvent?.(value.data as T);
          },
          error: (error) =>
            reject(
              Array.isArray(error) ? Object.assign(new Error(error[0]?.message), { errors: error }) : error,
            ),
          complete: () => resolve(received),
        },
      );
    }).finally(() => void client.dispose());
    return { events, dispose: () => dispose() };
  }
}
