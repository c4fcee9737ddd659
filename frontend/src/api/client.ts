// The one API client: generated types + openapi-fetch, bearer tokens refreshed before they
// expire (and once more after a 401), and every failure turned into an ApiError.
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema.gen";
import { ApiError, NETWORK_ERROR, apiErrorFrom } from "./errors";
import { clearTokens, getAccessToken, getRefreshToken, secondsLeft, setTokens } from "./session";

const REFRESH_PATH = "/api/v1/auth/token/refresh";
const REFRESH_MARGIN_SECONDS = 30;

export const api = createClient<paths>({ baseUrl: window.location.origin });

let refreshing: Promise<string | null> | null = null;

/** One refresh at a time: refresh tokens rotate, so two parallel refreshes would sign out. */
export function refreshAccessToken(): Promise<string | null> {
  refreshing ??= doRefresh().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

async function doRefresh(): Promise<string | null> {
  const refresh = getRefreshToken();
  if (refresh === null) return null;
  const response = await fetch(new URL(REFRESH_PATH, window.location.origin), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ refresh }),
  }).catch(() => null);
  if (response === null) return null; // offline: keep the session, try again later
  if (!response.ok) {
    clearTokens();
    return null;
  }
  const tokens = (await response.json()) as { access: string; refresh: string };
  setTokens(tokens.access, tokens.refresh);
  return tokens.access;
}

async function usableAccessToken(): Promise<string | null> {
  const access = getAccessToken();
  const left = access === null ? null : secondsLeft(access);
  if (access !== null && left !== null && left > REFRESH_MARGIN_SECONDS) return access;
  return refreshAccessToken();
}

const retries = new Map<string, Request>();

const auth: Middleware = {
  async onRequest({ request, id, schemaPath }) {
    if (schemaPath.startsWith("/api/v1/auth/token")) return request;
    const access = await usableAccessToken();
    if (access !== null) {
      request.headers.set("Authorization", `Bearer ${access}`);
      retries.set(id, request.clone());
    }
    return request;
  },
  async onResponse({ response, id }) {
    const retry = retries.get(id);
    retries.delete(id);
    if (response.status !== 401 || retry === undefined) return response;
    const access = await refreshAccessToken();
    if (access === null) return response;
    retry.headers.set("Authorization", `Bearer ${access}`);
    return fetch(retry);
  },
  onError({ id }) {
    retries.delete(id); // no answer at all: unwrap() reports a network error
  },
};

api.use(auth);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call: its data, or an ApiError thrown. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, NETWORK_ERROR, "The server could not be reached.");
  }
  if (!result.response.ok) throw apiErrorFrom(result.response.status, result.error);
  return result.data as T;
}

/** A fresh Idempotency-Key: a retried booking replays instead of booking twice. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}
