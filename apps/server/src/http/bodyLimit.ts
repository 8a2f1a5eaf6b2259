import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuseTooLarge } from './tooLarge.ts';

const hasBody = (req: IncomingMessage) => req.method !== 'GET' && req.method !== 'HEAD';
const isUpload = (req: IncomingMessage) => !!req.headers['content-type']?.startsWith('multipart/form-data');

/**
 * Reads a GraphQL request body (any but an upload, which has its own limit: uploadLimit.ts) up to
 * `maxBodyBytes`, and answers 413 LIMIT_EXCEEDED past it: at once when Content-Length says so, else as soon
 * as the bytes received do. The body read is left on `req.body`, where yoga takes it instead of the stream
 * (the hook it has for servers whose middleware read the body first). Resolves true when it answered.
 */
export async function readBoundedBody(
  req: IncomingMessage,
  res: ServerResponse,
  maxBodyBytes: number,
): Promise<boolean> {
  if (!hasBody(req) || isUpload(req)) return false;
  const refuse = (size: string) => {
    refuseTooLarge(req, res, 'maxBodyBytes', `the request body has ${size} bytes; at most ${maxBodyBytes}`);
    return true;
  };
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (declared > maxBodyBytes) return refuse(String(declared));
  const chunks: Buffer[] = [];
  let received = 0;
  try {
    // Leaving the loop early must not destroy the request: the 413 goes out on its connection.
    for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      received += chunk.length;
      if (received > maxBodyBytes) return refuse(`more than ${maxBodyBytes}`);
      chunks.push(chunk);
    }
  } catch {
    // The client went away mid-body: nobody to answer.
    res.destroy();
    return true;
  }
  (req as IncomingMessage & { body?: Buffer }).body = Buffer.concat(chunks);
  return false;
}
