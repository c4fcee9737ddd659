// A fake API for component tests: routes "METHOD /path" to handlers returning JSON.
type Handler = (request: Request) => Response | Promise<Response>;

const routes = new Map<string, Handler>();
export const calls: { method: string; path: string; body: unknown }[] = [];

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

export function apiError(status: number, code: string, message = code): Response {
  return json({ error: { code, message, details: {} } }, status);
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
  });
  const handler = routes.get(`${request.method} ${url.pathname}`);
  if (!handler) return apiError(404, "not_found", `no fake for ${request.method} ${url.pathname}`);
  return handler(request);
}
