// A fake API for component tests: routes "METHOD /path" to handlers returning JSON.
type Handler = (request: Request) => Response | Promise<Response>;

const routes = new Map<string, Handler>();
export const calls: { method: string; path: string; body: unknown; headers: Headers }[] = [];

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

export function apiError(status: number, code: string, message = code): Response {
  return json({ error: { code, message, details: {} } }, status);
}

/** allauth's answer shape for a failed step: {"status", "errors": [{code, message, param}]}. */
export function allauthErrors(
  status: number,
  errors: { code: string; param?: string; message?: string }[],
): Response {
  return json({ status, errors: errors.map((e) => ({ message: e.code, ...e })) }, status);
}

export const SESSION = "/api/_allauth/browser/v1/auth/session";

/** allauth's session answers: signed in as `email`, or 401 with the pending flows. */
export function signedInAs(email: string): Response {
  return json({
    status: 200,
    data: { user: { id: "u1", display: email, email, has_usable_password: true }, methods: [] },
    meta: { is_authenticated: true },
  });
}

export function notSignedIn(pending: string[] = []): Response {
  const flows = [{ id: "login" }, ...pending.map((id) => ({ id, is_pending: true }))];
  return json({ status: 401, data: { flows }, meta: { is_authenticated: false } }, 401);
}

export function route(methodAndPath: string, handler: Handler): void {
  routes.set(methodAndPath, handler);
}

export function resetApi(): void {
  routes.clear();
  calls.length = 0;
}

export async function apiFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request ? input : new Request(input, init);
  const url = new URL(request.url);
  const text = request.method === "GET" ? "" : await request.clone().text();
  calls.push({
    method: request.method,
    path: url.pathname,
    body: text ? (JSON.parse(text) as unknown) : null,
    headers: request.headers,
  });
  const handler = routes.get(`${request.method} ${url.pathname}`);
  if (!handler) return apiError(404, "not_found", `no fake for ${request.method} ${url.pathname}`);
  return handler(request);
}
