import type { ApiContext } from '../context.ts';

interface CookieStore {
  set(cookie: {
    name: string;
    value: string;
    expires: number | null;
    path: string;
    httpOnly: boolean;
    sameSite: 'lax';
    secure: boolean;
    domain: string | null;
  }): Promise<void>;
  delete(name: string): Promise<void>;
}

const cookieStore = (ctx: ApiContext) =>
  (ctx.request as (Request & { cookieStore?: CookieStore }) | undefined)?.cookieStore;

/** HTTP-only so page scripts cannot read it; SameSite=Lax against cross-site form posts. */
export async function setSessionCookie(
  ctx: ApiContext,
  name: string,
  value: string,
  expires: Date,
): Promise<void> {
  await cookieStore(ctx)?.set({
    name,
    value,
    expires: expires.getTime(),
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.services.config.secureCookies,
    domain: null,
  });
}

export async function clearSessionCookie(ctx: ApiContext, name: string): Promise<void> {
  await cookieStore(ctx)?.delete(name);
}
