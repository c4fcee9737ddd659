// The signed-in session: a short-lived access token kept in memory and the rotating refresh
// token in localStorage (so a reload keeps you signed in). Listeners hear sign-in/out.

const REFRESH_KEY = "booking.refresh";

let accessToken: string | null = null;
const listeners = new Set<() => void>();

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // private modes may forbid storage; the session then lasts one page
  }
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function getRefreshToken(): string | null {
  return storage()?.getItem(REFRESH_KEY) ?? null;
}

export function isSignedIn(): boolean {
  return getRefreshToken() !== null || accessToken !== null;
}

export function setTokens(access: string, refresh: string): void {
  const wasSignedIn = isSignedIn();
  accessToken = access;
  storage()?.setItem(REFRESH_KEY, refresh);
  if (!wasSignedIn) notify();
}

export function clearTokens(): void {
  accessToken = null;
  storage()?.removeItem(REFRESH_KEY);
  notify();
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const listener of listeners) listener();
}

/** Seconds until the JWT expires (negative when expired); null when it cannot be read. */
export function secondsLeft(token: string, now: number = Date.now()): number | null {
  const payload = token.split(".")[1];
  if (payload === undefined) return null;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/"))) as {
      exp?: unknown;
    };
    return typeof claims.exp === "number" ? claims.exp - now / 1000 : null;
  } catch {
    return null;
  }
}
