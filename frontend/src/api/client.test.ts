import { beforeEach, describe, expect, it } from "vitest";
import { apiError, calls, json, resetApi, route } from "../test/api";
import { api, unwrap } from "./client";
import { ApiError } from "./errors";
import { clearTokens, getRefreshToken, isSignedIn, setTokens } from "./session";

const jwt = (secondsLeft: number, tag: string) =>
  `h.${btoa(JSON.stringify({ exp: Date.now() / 1000 + secondsLeft, tag }))}.s`;
const fresh = jwt(900, "fresh");
const me = { id: "u1", email: "a@example.com" };

function meAcceptsOnly(token: string) {
  route("GET /api/v1/auth/me", (request) =>
    request.headers.get("Authorization") === `Bearer ${token}`
      ? json(me)
      : apiError(401, "not_authenticated"),
  );
}

describe("the API client's session handling", () => {
  beforeEach(() => {
    resetApi();
    clearTokens();
    route("POST /api/v1/auth/token/refresh", () => json({ access: fresh, refresh: "r2" }));
  });

  it("refreshes an expiring token once, however many requests wait for it", async () => {
    setTokens(jwt(5, "old"), "r1");
    meAcceptsOnly(fresh);
    const answers = await Promise.all([1, 2, 3].map(() => unwrap(api.GET("/api/v1/auth/me"))));
    expect(answers).toEqual([me, me, me]);
    expect(calls.filter((c) => c.path.endsWith("/refresh"))).toHaveLength(1);
    expect(getRefreshToken()).toBe("r2"); // rotated
  });

  it("retries once with a new token after a 401", async () => {
    setTokens(jwt(900, "revoked"), "r1");
    meAcceptsOnly(fresh);
    await expect(unwrap(api.GET("/api/v1/auth/me"))).resolves.toEqual(me);
  });

  it("signs out when the refresh token is refused", async () => {
    route("POST /api/v1/auth/token/refresh", () => apiError(401, "token_not_valid"));
    setTokens(jwt(5, "old"), "r1");
    meAcceptsOnly(fresh);
    const error = await unwrap(api.GET("/api/v1/auth/me")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(isSignedIn()).toBe(false);
  });
});
