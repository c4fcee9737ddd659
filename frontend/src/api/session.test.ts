import { describe, expect, it } from "vitest";
import { safeNext } from "../features/account/auth";
import { clearTokens, isSignedIn, secondsLeft, setTokens, subscribe } from "./session";

describe("the session", () => {
  it("reads a JWT's expiry", () => {
    const token = `h.${btoa(JSON.stringify({ exp: 1_000 }))}.s`;
    expect(secondsLeft(token, 940_000)).toBe(60);
    expect(secondsLeft("not-a-jwt")).toBeNull();
  });

  it("tells listeners about sign-in and sign-out", () => {
    const heard: boolean[] = [];
    const stop = subscribe(() => heard.push(isSignedIn()));
    setTokens("a", "r");
    clearTokens();
    stop();
    expect(heard).toEqual([true, false]);
  });

  it("returns only to same-site paths after sign-in", () => {
    expect(safeNext("/salons/1?slot=x")).toBe("/salons/1?slot=x");
    expect(safeNext("//evil.example")).toBe("/");
    expect(safeNext("https://evil.example")).toBe("/");
    expect(safeNext(null)).toBe("/");
  });
});
