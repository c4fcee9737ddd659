// Django's CSRF token: the `csrftoken` cookie (readable by design), echoed in X-CSRFToken on
// every write. The session cookie itself is HttpOnly: no credential is readable here.

export const CSRF_COOKIE = "csrftoken";
export const CSRF_HEADER = "X-CSRFToken";

export function readCsrfToken(cookies: string = document.cookie): string | null {
  for (const pair of cookies.split(";")) {
    const [name, ...value] = pair.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join("="));
  }
  return null;
}
