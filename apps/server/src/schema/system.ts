import { builder } from '../graphql/builder.ts';
import { ANYONE, seenAs } from '../visibility/seen.ts';

const SystemInfo = builder
  .objectRef<{ backend: string; storage: string; version: string }>('SystemInfo')
  .implement({
    fields: (t) => ({
      backend: t.exposeString('backend', {
        description: 'tfjs backend of this server: tensorflow (native), wasm or cpu.',
      }),
      storage: t.exposeString('storage', { description: 'embedded (PGlite) or postgres.' }),
      version: t.exposeString('version'),
      seedModelId: t.id({ resolve: (_s, _a, ctx) => ctx.services.seedModelId }),
    }),
  });

builder.queryField('system', (t) =>
  t.field({
    type: SystemInfo,
    resolve: (_r, _a, ctx) =>
      seenAs(ANYONE, {
        backend: ctx.services.backend,
        storage: ctx.services.storageKind,
        version: '0.1.0',
      }),
  }),
);
