/** The session cookie's name: set at sign-in, read by the request context. */
export const SESSION_COOKIE = 'argmax_session';

/** What of a request's context the cookie needs: its request (yoga's cookie store) and the server's setting. */
interface CookieContext {
  request?: Request;
  services: { config: { secureCookies: boolean } };
}

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

const cookieStore = (ctx: CookieContext) =>
  (ctx.request as (Request & { cookieStore?: CookieStore }) | undefined)?.cookieStore;

/** HTTP-only so page scripts cannot read it; SameSite=Lax against cross-site form posts. */
export async function setSessionCookie(
  ctx: CookieContext,
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

export async function clearSessionCookie(ctx: CookieContext, name: string): Promise<void> {
  await cookieStore(ctx)?.delete(name);
}
