import { describe, expect, it } from "vitest";
import { errorMessage, isSlotTaken } from "./errorMessage";
import { ApiError, apiErrorFrom, fieldErrors } from "./errors";

describe("API errors in words", () => {
  it("reads the one error shape", () => {
    const error = apiErrorFrom(409, {
      error: {
        code: "slot_unavailable",
        message: "That time is no longer available.",
        details: {},
      },
    });
    expect(error).toMatchObject({ status: 409, code: "slot_unavailable" });
    expect(isSlotTaken(error)).toBe(true);
  });

  it.each([
    ["slot_unavailable", 409, "That time was just taken by someone else. Please choose another."],
    [
      "cancellation_cutoff_passed",
      409,
      "It is too late to change this appointment online. Please call the salon.",
    ],
    ["email_taken", 409, "An account with this email already exists. Try signing in."],
    ["throttled", 429, "Too many attempts. Please wait a minute and try again."],
    ["network_error", 0, "We could not reach the server. Check your connection and try again."],
  ])("says what %s means", (code, status, words) => {
    expect(errorMessage(new ApiError(status, code, "server text"))).toBe(words);
  });

  it("falls back by status for codes it does not know", () => {
    expect(errorMessage(new ApiError(503, "something_new", "x"))).toBe(
      "Something went wrong on our side. Please try again in a moment.",
    );
    expect(errorMessage(new ApiError(404, "gizmo_not_found", "x"))).toBe("We could not find that.");
    expect(errorMessage(new ApiError(418, "teapot", "x"))).toBe(
      "Something went wrong. Please try again.",
    );
    expect(errorMessage(new TypeError("boom"))).toBe("Something went wrong. Please try again.");
  });

  it("copes with bodies that are not the error shape (an HTML 502 from a proxy)", () => {
    expect(apiErrorFrom(502, "<html>").code).toBe("server_error");
    expect(apiErrorFrom(400, null).code).toBe("error");
  });

  it("maps validation details to fields", () => {
    const error = apiErrorFrom(400, {
      error: { code: "weak_password", message: "", details: { password: ["Too common."] } },
    });
    expect(fieldErrors(error)).toEqual({ password: "Too common." });
    expect(fieldErrors(new Error("x"))).toEqual({});
  });
});

describe("allauth's errors in words", () => {
  it("says a wrong password once, for the whole form", () => {
    const error = apiErrorFrom(400, {
      status: 400,
      errors: [{ code: "email_password_mismatch", param: "password", message: "x" }],
    });
    expect(error.code).toBe("email_password_mismatch");
    expect(errorMessage(error)).toBe("The email or password is not right.");
    expect(fieldErrors(error)).toEqual({});
  });

  it("puts our words for a field's code beside that field", () => {
    const error = apiErrorFrom(400, {
      status: 400,
      errors: [
        { code: "password_too_short", param: "password", message: "This password is too short." },
        { code: "password_too_common", param: "password", message: "Too common." },
        { code: "something_new", param: "email", message: "Server words." },
      ],
    });
    expect(errorMessage(error)).toBe("Please check the highlighted fields.");
    expect(fieldErrors(error)).toEqual({
      password: "The password must be at least 8 characters long.",
      email: "Server words.", // a code we have no words for keeps the server's message
    });
  });

  it("reads allauth's 429 (no errors listed) as too many attempts", () => {
    const error = apiErrorFrom(429, { status: 429 });
    expect(errorMessage(error)).toBe("Too many attempts. Please wait a minute and try again.");
  });
});
