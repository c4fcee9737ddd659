import { screen } from "@testing-library/react";
import { beforeEach, describe, expect, it } from "vitest";
import {
  SESSION,
  allauthErrors,
  calls,
  notSignedIn,
  resetApi,
  route,
  signedInAs,
} from "../../test/api";
import { renderAt } from "../../test/render";
import { rememberReturnPath } from "../booking/bookingDraft";
import { VerifyEmailPage } from "./VerifyEmailPage";

const VERIFY = "POST /api/_allauth/browser/v1/auth/email/verify";

function renderVerify() {
  return renderAt("/account/verify-email/MQ:key", [
    { path: "/account/verify-email/:key", element: <VerifyEmailPage /> },
    { path: "/salons/:id", element: <p>salon page</p> },
    { path: "/account/sign-in", element: <p>sign-in page</p> },
  ]);
}

describe("following the verification link", () => {
  beforeEach(() => {
    resetApi();
    document.cookie = "csrftoken=tok; path=/";
    route(`GET ${SESSION}`, () => notSignedIn(["verify_email"]));
  });

  it("posts the key once, is signed in, and goes back to the chosen time", async () => {
    rememberReturnPath("/salons/s1?service=cut&slot=x");
    route(VERIFY, () => signedInAs("robin@example.com"));
    const { router } = renderVerify();
    await screen.findByText("salon page");
    expect(router.state.location.search).toBe("?service=cut&slot=x");
    expect(calls.filter((c) => `${c.method} ${c.path}` === VERIFY).map((c) => c.body)).toEqual([
      { key: "MQ:key" },
    ]);
  });

  it("explains an expired or used link and how to get a new one", async () => {
    route(VERIFY, () =>
      allauthErrors(400, [{ code: "invalid_or_expired_key", param: "key", message: "x" }]),
    );
    renderVerify();
    expect(
      await screen.findByRole("heading", { name: "This link does not work any more" }),
    ).toBeVisible();
    expect(screen.getByText(/we will send you a new link/)).toBeVisible();
    expect(screen.getByRole("link", { name: "Sign in" })).toBeVisible();
  });

  it("asks to sign in when the link was opened in another browser", async () => {
    rememberReturnPath("/salons/s1?slot=x");
    route(VERIFY, () => notSignedIn());
    renderVerify();
    expect(
      await screen.findByText("Your email address is confirmed. Please sign in to continue."),
    ).toHaveAttribute("role", "status");
    expect(screen.getByRole("link", { name: "Sign in" })).toHaveAttribute(
      "href",
      `/account/sign-in?next=${encodeURIComponent("/salons/s1?slot=x")}`,
    );
  });
});
