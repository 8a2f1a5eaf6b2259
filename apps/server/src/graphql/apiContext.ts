import type { Storage, User } from '@argmax/db';
import type { ServerConfig } from '../config.ts';
import type { WorkerPool } from '../jobs/workerPool.ts';
import type { EventBus } from '../pubsub/eventBus.ts';

export interface Viewer {
  user: User;
  via: 'session' | 'token';
  /** The session secret, so sign-out can revoke exactly this session. */
  sessionSecret?: string;
}

/**
 * What the resolvers reach of this server's services. Declared here, below the domains, so that the
 * builder's context names no domain: each domain adds the service its types call (`runs`, `training`,
 * `passwords`, `signIn`) with a `declare module` of this file beside that service's type, so whatever
 * names the type sees it here too; the composition root (`services.ts`) provides them all.
 */
export interface ApiServices {
  config: ServerConfig;
  storageKind: 'embedded' | 'postgres';
  backend: string;
  bus: EventBus;
  pool: WorkerPool;
  seedModelId: string;
}

export interface ApiContext {
  services: ApiServices;
  storage: Storage;
  viewer: Viewer | null;
  /** Present on HTTP requests: lets sign-in/sign-out set the session cookie. */
  request?: Request;
  /** Where the request came from (behind trusted proxies: see ServerConfig.trustedProxies). */
  clientAddress: string;
}
