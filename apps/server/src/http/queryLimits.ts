import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ServerConfig } from '../config.ts';

/**
 * Depth, alias, token and cost limits (GraphQL Armor). Rejections become LIMIT_EXCEEDED errors that name
 * the limit, instead of Armor's generic "Syntax Error".
 */
export function queryLimits(config: ServerConfig): Plugin[] {
  const reject =
    (limit: string): GraphQLArmorRejectCallback =>
    (ctx, error) => {
      const limited = new GraphQLError(error.message.replace(/^Syntax Error: /, ''), {
        extensions: { code: 'LIMIT_EXCEEDED', limit },
      });
      if (ctx) ctx.reportError(limited);
      else throw limited;
    };
  const common = { exposeLimits: true, propagateOnRejection: false } as const;
  return [
    maxDepthPlugin({ ...common, n: config.limits.maxQueryDepth, onReject: [reject('maxQueryDepth')] }),
    maxAliasesPlugin({ ...common, n: config.limits.maxAliases, onReject: [reject('maxAliases')] }),
    maxTokensPlugin({ ...common, n: config.limits.maxTokens, onReject: [reject('maxTokens')] }),
    costLimitPlugin({ ...common, maxCost: 5000, onReject: [reject('maxCost')] }),
  ] as Plugin[];
}
