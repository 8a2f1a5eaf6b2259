import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ExecutionArgs, type execute, GraphQLError, type subscribe } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import type { ServerConfig } from './config.ts';
import { createContextFactory, type TransportContext } from './context.ts';
import { fromDomainError, withRequestErrorCode } from './errors.ts';
import type { ApiContext } from './graphql/apiContext.ts';
import { readBoundedBody } from './http/bodyLimit.ts';
import { buildSchema } from './schema/index.ts';
import { createServices, type Services } from './services.ts';

export interface App {
  yoga: YogaServerInstance<TransportContext, ApiContext>;
  services: Services;
  /** Listens; resolves with the bound port (pass 0 for a free one). */
  start(port?: number): Promise<number>;
  stop(): Promise<void>;
  url(): string;
}

/** Builds the API (schema, storage, job pool, pub/sub) without listening: tests build their own. */
export async function buildApp(config: ServerConfig): Promise<App> {
  const services = await createServices(config);
  const schema = buildSchema();
  const contextFactory = createContextFactory(services);

  const yoga = createYoga<TransportContext, ApiContext>({
    schema,
    context: contextFactory,
    graphqlEndpoint: '/graphql',
    cors: { origin: config.corsOrigins, credentials: true },
    maskedErrors: {
      maskError(error, message) {
        // GraphQL's own errors (syntax, validation) and our ApiErrors are meant for the client.
        // By name, not instanceof: graphql ships CJS and ESM builds, and both can be loaded at once.
        const isGraphQLError = (e: unknown): e is GraphQLError =>
          e instanceof Error && e.name === 'GraphQLError';
        const original = isGraphQLError(error) ? error.originalError : error;
        if (isGraphQLError(error) && (!original || isGraphQLError(original)))
          return withRequestErrorCode(error);
        const expected = fromDomainError(original);
        if (expected) return expected;
        const requestId = randomUUID();
        config.log(`internal error ${requestId}: ${(original as Error | undefined)?.stack ?? String(error)}`);
        return new GraphQLError(`${message} (request id ${requestId})`, {
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
        });
      },
    },
    plugins: services.yogaPlugins,
    logging: false,
  });

  const server: Server = createServer(async (req, res) => {
    const handled =
      (await services.handleHttp(req, res)) || (await readBoundedBody(req, res, config.limits.maxBodyBytes));
    if (!handled) await yoga.handle(req, res);
  });
  // A message over the limit closes its connection with 1009 (message too big); ws's default is 100 MiB.
  const wsServer = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: config.limits.maxBodyBytes,
  });
  const wsCleanup = useServer<Record<string, unknown>, { request: IncomingMessage }>(
    {
      execute: (args) => (args.rootValue as { execute: typeof execute }).execute(args as ExecutionArgs),
      subscribe: (args) =>
        (args.rootValue as { subscribe: typeof subscribe }).subscribe(args as ExecutionArgs),
      onSubscribe: async (ctx, _id, payload) => {
        const transport: TransportContext = {
          wsRequest: ctx.extra.request,
          connectionParams: ctx.connectionParams,
        };
        const enveloped = yoga.getEnveloped({ ...ctx, ...transport, request: undefined, params: payload });
        const document = enveloped.parse(payload.query);
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        return {
          schema: enveloped.schema,
          operationName: payload.operationName,
          document,
          variableValues: payload.variables,
          contextValue: await enveloped.contextFactory(),
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        };
      },
    },
    wsServer,
  );

  let port = 0;
  return {
    yoga,
    services,
    url: () => `http://127.0.0.1:${port}/graphql`,
    start: (requested = config.port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(requested, config.host, () => {
          port = (server.address() as AddressInfo).port;
          config.log(
            `argmax API on http://${config.host}:${port}/graphql (backend ${services.backend}, storage ${services.storageKind})`,
          );
          resolve(port);
        });
      }),
    stop: async () => {
      await wsCleanup.dispose();
      await new Promise<void>((resolve) => {
        wsServer.close(() => resolve());
      });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.close();
    },
  };
}
