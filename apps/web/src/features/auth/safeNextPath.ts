/** Only same-site paths may be a post-sign-in destination (no `//evil.example` or `https://…`). */
export function safeNextPath(next: string | null | undefined): string | null {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
  return next;
}
