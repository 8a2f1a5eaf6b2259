import type { IncomingMessage, ServerResponse } from 'node:http';

// After answering 413 the rest of the body is read and dropped, so the client sees the answer rather than a
// reset mid-upload; a body that goes on past this much more is cut off.
const DRAIN_BYTES = 8 * 1024 * 1024;

/** Answers 413 with a GraphQL-shaped LIMIT_EXCEEDED error naming the limit, and closes the connection. */
export function refuseTooLarge(
  req: IncomingMessage,
  res: ServerResponse,
  limit: string,
  message: string,
): void {
  res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code: 'LIMIT_EXCEEDED', limit } }] }));
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES) req.destroy();
  });
  req.resume();
}
