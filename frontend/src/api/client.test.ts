import { beforeEach, describe, expect, it } from "vitest";
import { SESSION, apiError, calls, json, notSignedIn, resetApi, route } from "../test/api";
import { api, onSessionEnded, unwrap } from "./client";
import { ApiError } from "./errors";

const me = { id: "u1", email: "a@example.com" };

describe("the API client on the session cookie", () => {
  beforeEach(() => {
    resetApi();
  });

  it("sends the CSRF cookie's token with writes, and nothing extra with reads", async () => {
    document.cookie = "csrftoken=t0k3n; path=/";
    route("GET /api/v1/auth/me", () => json(me));
    route("PATCH /api/v1/auth/me", () => json(me));
    await unwrap(api.GET("/api/v1/auth/me"));
    await unwrap(api.PATCH("/api/v1/auth/me", { body: { first_name: "Ada" } }));
    expect(calls.map((c) => [c.method, c.headers.get("X-CSRFToken")])).toEqual([
      ["GET", null],
      ["PATCH", "t0k3n"],
    ]);
    expect(calls.some((c) => c.headers.has("Authorization"))).toBe(false);
  });

  it("asks for the CSRF cookie first when the page has none yet", async () => {
    route(`GET ${SESSION}`, () => {
      document.cookie = "csrftoken=fresh; path=/"; // what the server's Set-Cookie does
      return notSignedIn();
    });
    route("POST /api/_allauth/browser/v1/auth/login", () => json({}));
    await api.POST("/api/_allauth/{client}/v1/auth/login", {
      params: { path: { client: "browser" } },
      body: { email: "a@example.com", password: "pw" },
    });
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `GET ${SESSION}`,
      "POST /api/_allauth/browser/v1/auth/login",
    ]);
    expect(calls[1]?.headers.get("X-CSRFToken")).toBe("fresh");
  });

  it("tells listeners when our API says the session has ended", async () => {
    route("GET /api/v1/appointments", () => apiError(401, "not_authenticated"));
    let heard = 0;
    const stop = onSessionEnded(() => (heard += 1));
    const error = await unwrap(api.GET("/api/v1/appointments")).catch((e: unknown) => e);
    stop();
    expect(error).toMatchObject({ status: 401, code: "not_authenticated" });
    expect(heard).toBe(1);
  });

  it("turns a request that got no answer into a network error", async () => {
    route("GET /api/v1/auth/me", () => Promise.reject(new TypeError("offline")));
    const error = await unwrap(api.GET("/api/v1/auth/me")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 0, code: "network_error" });
  });
});
