import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { SESSION, allauthErrors, calls, json, notSignedIn, resetApi, route } from "../../test/api";
import { renderAt } from "../../test/render";
import { ForgotPasswordPage } from "./ForgotPasswordPage";
import { ResetPasswordPage } from "./ResetPasswordPage";

const RESET = "/api/_allauth/browser/v1/auth/password/reset";
const deadKey = () =>
  allauthErrors(400, [{ code: "invalid_password_reset", param: "key", message: "x" }]);

function renderReset() {
  return renderAt("/account/password/reset/key/u1-abc", [
    { path: "/account/password/reset/key/:key", element: <ResetPasswordPage /> },
    { path: "/account/password/reset", element: <p>forgot page</p> },
  ]);
}

describe("resetting a forgotten password", () => {
  beforeEach(() => {
    resetApi();
    document.cookie = "csrftoken=tok; path=/";
    route(`GET ${SESSION}`, () => notSignedIn());
  });

  it("asks for a link and answers the same whoever the address belongs to", async () => {
    route("POST /api/_allauth/browser/v1/auth/password/request", () => json({ status: 200 }));
    renderAt("/account/password/reset", [
      { path: "/account/password/reset", element: <ForgotPasswordPage /> },
    ]);
    await userEvent.type(screen.getByLabelText("Email"), "ada@example.com");
    await userEvent.click(screen.getByRole("button", { name: "Send reset link" }));
    expect(await screen.findByRole("status")).toHaveTextContent(
      "If an account exists for ada@example.com, we sent it a link",
    );
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({ email: "ada@example.com" });
  });

  it("checks the key, sets the new password and says to sign in with it", async () => {
    route(`GET ${RESET}`, () => json({ status: 200, data: { user: {} } }));
    route(`POST ${RESET}`, () => notSignedIn());
    renderReset();
    await userEvent.type(await screen.findByLabelText("New password"), "violet-harbour-42");
    await userEvent.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Your password is changed.");
    expect(
      calls
        .find((c) => c.method === "GET" && c.path === RESET)
        ?.headers.get("X-Password-Reset-Key"),
    ).toBe("u1-abc");
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      key: "u1-abc",
      password: "violet-harbour-42",
    });
  });

  it("explains an expired or used link before asking for a password", async () => {
    route(`GET ${RESET}`, deadKey);
    renderReset();
    expect(
      await screen.findByRole("heading", { name: "This reset link does not work any more" }),
    ).toBeVisible();
    expect(screen.queryByLabelText("New password")).toBeNull();
    await userEvent.click(screen.getByRole("link", { name: "Request a new link" }));
    expect(await screen.findByText("forgot page")).toBeVisible();
  });

  it("explains a link that died while the form was open", async () => {
    route(`GET ${RESET}`, () => json({ status: 200, data: { user: {} } }));
    route(`POST ${RESET}`, deadKey);
    renderReset();
    await userEvent.type(await screen.findByLabelText("New password"), "violet-harbour-42");
    await userEvent.click(screen.getByRole("button", { name: "Set new password" }));
    expect(
      await screen.findByRole("heading", { name: "This reset link does not work any more" }),
    ).toBeVisible();
  });

  it("keeps saying the password is changed when the used key is checked again", async () => {
    let checks = 0;
    route(`GET ${RESET}`, () =>
      ++checks === 1 ? json({ status: 200, data: { user: {} } }) : deadKey(),
    );
    route(`POST ${RESET}`, () => notSignedIn());
    renderReset();
    await userEvent.type(await screen.findByLabelText("New password"), "violet-harbour-42");
    await userEvent.click(screen.getByRole("button", { name: "Set new password" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Your password is changed.");
    await waitFor(() => {
      expect(checks).toBe(2); // the reset's sign-in step cleared the cached check
    });
    expect(screen.getByRole("status")).toHaveTextContent("Your password is changed.");
    expect(
      screen.queryByRole("heading", { name: "This reset link does not work any more" }),
    ).toBeNull();
  });
});
