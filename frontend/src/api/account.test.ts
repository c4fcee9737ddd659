import { beforeEach, describe, expect, it } from "vitest";
import {
  SESSION,
  allauthErrors,
  calls,
  json,
  notSignedIn,
  resetApi,
  route,
  signedInAs,
} from "../test/api";
import { changePassword, fetchSession, resetPassword, signIn, signOut, signUp } from "./account";

const LOGIN = "/api/_allauth/browser/v1/auth/login";

describe("allauth's browser client, as outcomes", () => {
  beforeEach(() => {
    resetApi();
    document.cookie = "csrftoken=tok; path=/";
  });

  it("reads who is signed in, and a 401 as nobody", async () => {
    route(`GET ${SESSION}`, () => signedInAs("ada@example.com"));
    expect(await fetchSession()).toMatchObject({
      status: "signedIn",
      user: { email: "ada@example.com" },
    });
    route(`GET ${SESSION}`, () => notSignedIn());
    expect(await fetchSession()).toEqual({ status: "signedOut" });
  });

  it("tells an address still to be confirmed from a sign-in", async () => {
    route(`POST ${LOGIN}`, () => notSignedIn(["verify_email"]));
    expect(await signIn({ email: "new@example.com", password: "pw" })).toEqual({
      status: "verifyEmail",
    });
    route("POST /api/_allauth/browser/v1/auth/signup", () => notSignedIn(["verify_email"]));
    expect(await signUp({ email: "new@example.com", password: "pw" })).toEqual({
      status: "verifyEmail",
    });
    expect(calls.every((c) => c.headers.get("X-CSRFToken") === "tok")).toBe(true);
  });

  it("throws allauth's failures as ApiErrors with its code", async () => {
    route(`POST ${LOGIN}`, () =>
      allauthErrors(400, [{ code: "email_password_mismatch", param: "password" }]),
    );
    await expect(signIn({ email: "a@example.com", password: "no" })).rejects.toMatchObject({
      status: 400,
      code: "email_password_mismatch",
    });
  });

  it("signs out with allauth's 401 as the expected answer", async () => {
    route(`DELETE ${SESSION}`, () => notSignedIn());
    await expect(signOut()).resolves.toBeUndefined();
    expect(calls.map((c) => c.method)).toEqual(["DELETE"]);
  });

  it("takes a reset that asks to sign in afterwards as done", async () => {
    route("POST /api/_allauth/browser/v1/auth/password/reset", () => notSignedIn());
    expect(await resetPassword("k", "a-new-password-42")).toEqual({ status: "signedOut" });
    expect(calls[0]?.body).toEqual({ key: "k", password: "a-new-password-42" });
  });

  it("changes the password, or says why not", async () => {
    route("POST /api/_allauth/browser/v1/account/password/change", () => json({ status: 200 }));
    await expect(
      changePassword({ current_password: "old", new_password: "new-password-42" }),
    ).resolves.toBeUndefined();
    route("POST /api/_allauth/browser/v1/account/password/change", () =>
      allauthErrors(400, [{ code: "incorrect_password", param: "current_password" }]),
    );
    await expect(
      changePassword({ current_password: "nope", new_password: "new-password-42" }),
    ).rejects.toMatchObject({
      code: "invalid",
      fieldCodes: { current_password: "incorrect_password" },
    });
  });
});
