import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuseTooLarge } from './tooLarge.ts';

/**
 * Refuses an oversized multipart request before its body is read (yoga would buffer it whole). The
 * resolver checks the decoded files again, so a request without Content-Length cannot slip through.
 */
export function refuseOversizedUpload(
  req: IncomingMessage,
  res: ServerResponse,
  maxUploadBytes: number,
): boolean {
  if (!req.headers['content-type']?.startsWith('multipart/form-data')) return false;
  const length = Number(req.headers['content-length'] ?? 0);
  // Form framing adds a little: allow 1 MiB on top of the file limit.
  if (length <= maxUploadBytes + 1024 * 1024) return false;
  refuseTooLarge(req, res, 'maxUploadBytes', `the upload has ${length} bytes; at most ${maxUploadBytes}`);
  return true;
}
