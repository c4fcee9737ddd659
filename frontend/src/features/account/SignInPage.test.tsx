import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
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
import { takeReturnPath } from "../booking/bookingDraft";
import { safeNext } from "./auth";
import { SignInPage } from "./SignInPage";

const LOGIN = "POST /api/_allauth/browser/v1/auth/login";
const next = "/salons/s1?service=cut&slot=2026-03-02T10%3A30%3A00%2B01%3A00";

function renderSignIn() {
  return renderAt(`/account/sign-in?next=${encodeURIComponent(next)}`, [
    { path: "/account/sign-in", element: <SignInPage /> },
    { path: "/account/password/reset", element: <p>forgot page</p> },
    { path: "/salons/:id", element: <p>salon page</p> },
  ]);
}

async function submit(email: string, password: string) {
  await userEvent.type(screen.getByLabelText("Email"), email);
  await userEvent.type(screen.getByLabelText("Password"), password);
  await userEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("signing in", () => {
  beforeEach(() => {
    resetApi();
    document.cookie = "csrftoken=tok; path=/";
    route(`GET ${SESSION}`, () => notSignedIn());
  });

  it("signs in through allauth and goes back to the chosen time", async () => {
    route(LOGIN, () => signedInAs("ada@example.com"));
    const { router } = renderSignIn();
    await submit("ada@example.com", "pw-of-ada");
    await screen.findByText("salon page");
    expect(router.state.location.pathname + router.state.location.search).toBe(next);
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      email: "ada@example.com",
      password: "pw-of-ada",
    });
  });

  it("says plainly that the email or password is wrong", async () => {
    route(LOGIN, () =>
      allauthErrors(400, [{ code: "email_password_mismatch", param: "password" }]),
    );
    renderSignIn();
    await submit("ada@example.com", "wrong");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The email or password is not right.",
    );
  });

  it("asks an unconfirmed address to check its email, keeps the way back, and can resend", async () => {
    route(LOGIN, () => notSignedIn(["verify_email"]));
    renderSignIn();
    await submit("new@example.com", "pw");
    expect(await screen.findByRole("heading", { name: "Check your email" })).toBeVisible();
    expect(screen.getByText(/we sent a new link to new@example.com/)).toBeVisible();
    await userEvent.click(screen.getByRole("button", { name: "Send the link again" }));
    expect(await screen.findByRole("status")).toHaveTextContent("We sent the link again.");
    expect(calls.filter((c) => `${c.method} ${c.path}` === LOGIN)).toHaveLength(2);
    expect(takeReturnPath()).toBe(next);
  });

  it("links to the forgotten-password page", async () => {
    renderSignIn();
    await userEvent.click(screen.getByRole("link", { name: "Forgot password?" }));
    expect(await screen.findByText("forgot page")).toBeVisible();
  });
});

describe("the destination after signing in", () => {
  it("stays on this site", () => {
    expect(safeNext("/appointments")).toBe("/appointments");
    expect(safeNext("//evil.example")).toBe("/");
    expect(safeNext("https://evil.example")).toBe("/");
    expect(safeNext(null)).toBe("/");
  });
});
