import type { EventBus } from '../pubsub/eventBus.ts';
import type { LocalExecutors } from './jobDispatch.ts';

/**
 * Cancels the jobs this process executes when any process asks (over Redis, the request may come from
 * any API server). Returns a function that stops listening.
 */
export function followCancellations(bus: EventBus, executors: LocalExecutors): () => Promise<void> {
  const messages = bus.subscribe('cancel');
  const following = (async () => {
    for await (const message of messages) executors.get(message.kind)?.cancel(message.id);
  })();
  return async () => {
    await messages.return?.();
    await following.catch(() => {});
  };
}
