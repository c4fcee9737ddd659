// The one API client: generated types + openapi-fetch over the same-origin session cookie
// (allauth's "browser" client), X-CSRFToken on every write, and every failure an ApiError.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema.gen";
import { CSRF_HEADER, readCsrfToken } from "./csrf";
import { ApiError, NETWORK_ERROR, apiErrorFrom } from "./errors";

/** allauth's "who am I"; its GET also hands out the CSRF cookie. */
export const SESSION_PATH = "/api/_allauth/browser/v1/auth/session";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export const api = createClient<paths>({ baseUrl: window.location.origin });

/** The CSRF token, asking the server for the cookie first if this page has none yet. */
export async function csrfToken(): Promise<string> {
  const token = readCsrfToken();
  if (token !== null) return token;
  await fetch(new URL(SESSION_PATH, window.location.origin)).catch(() => undefined);
  return readCsrfToken() ?? "";
}

const sessionEndedListeners = new Set<() => void>();

/** Hears when our API answers 401: the session ended on the server (signed out elsewhere). */
export function onSessionEnded(listener: () => void): () => void {
  sessionEndedListeners.add(listener);
  return () => sessionEndedListeners.delete(listener);
}

const session: Middleware = {
  async onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method)) request.headers.set(CSRF_HEADER, await csrfToken());
    return request;
  },
  onResponse({ response, schemaPath }) {
    if (response.status === 401 && schemaPath.startsWith("/api/v1/")) {
      for (const listener of sessionEndedListeners) listener();
    }
    return response;
  },
};

api.use(session);

export interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call; a call that got no answer becomes a network ApiError. */
export async function settle<T>(call: Promise<FetchResult<T>>): Promise<FetchResult<T>> {
  try {
    return await call;
  } catch {
    throw new ApiError(0, NETWORK_ERROR, "The server could not be reached.");
  }
}

/** Awaits an openapi-fetch call: its data, or an ApiError thrown. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const result = await settle(call);
  if (!result.response.ok) throw apiErrorFrom(result.response.status, result.error);
  return result.data as T;
}

/** A fresh Idempotency-Key: a retried booking replays instead of booking twice. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
