export interface WebConfig {
  /** Where the dashboard's `/graphql` is forwarded (HTTP and WebSocket). */
  apiUrl: string;
  port: number;
  host: string;
  dev: boolean;
}

/**
 * The dashboard's settings. Its own PORT/HOST names, because the root `npm start` runs it beside the API,
 * which reads PORT and HOST.
 */
export function webConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const rawPort = env.ARGMAX_WEB_PORT ?? '3000';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(
      `ARGMAX_WEB_PORT: received ${JSON.stringify(rawPort)}; expected an integer port 0..65535`,
    );
  return {
    apiUrl: env.ARGMAX_API_URL || 'http://127.0.0.1:4000/graphql',
    port,
    host: env.ARGMAX_WEB_HOST || '0.0.0.0',
    dev: env.NODE_ENV !== 'production',
  };
}
