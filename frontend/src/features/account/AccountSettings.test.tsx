import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
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
} from "../../test/api";
import { renderAt } from "../../test/render";
import { AccountSettings } from "./AccountSettings";
import { RequireSignIn } from "./RequireSignIn";

const EMAILS = "/api/_allauth/browser/v1/account/email";
const CHANGE = "POST /api/_allauth/browser/v1/account/password/change";
const addresses = (...extra: { email: string; primary: boolean; verified: boolean }[]) =>
  json({
    status: 200,
    data: [{ email: "ada@example.com", primary: true, verified: true }, ...extra],
  });

function renderSettings() {
  return renderAt("/account/profile", [
    {
      path: "/account/profile",
      element: (
        <RequireSignIn>
          <AccountSettings />
        </RequireSignIn>
      ),
    },
    { path: "/account/sign-in", element: <p>sign-in page</p> },
  ]);
}

describe("the profile's sign-in and security settings", () => {
  beforeEach(() => {
    resetApi();
    document.cookie = "csrftoken=tok; path=/";
    route(`GET ${SESSION}`, () => signedInAs("ada@example.com"));
    route(`GET ${EMAILS}`, () => addresses());
  });

  it("sends a signed-out person to sign in once the session is known", async () => {
    route(`GET ${SESSION}`, () => notSignedIn());
    const { router } = renderSettings();
    await screen.findByText("sign-in page");
    expect(router.state.location.search).toBe(`?next=${encodeURIComponent("/account/profile")}`);
  });

  it("changes the password with the current one", async () => {
    route(CHANGE, () => json({ status: 200 }));
    renderSettings();
    await userEvent.type(await screen.findByLabelText("Current password"), "old-one");
    await userEvent.type(screen.getByLabelText("New password"), "violet-harbour-42");
    await userEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Your password is changed.");
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      current_password: "old-one",
      new_password: "violet-harbour-42",
    });
    expect(screen.getByLabelText("Current password")).toHaveValue("");
  });

  it("says when the current password is wrong, beside it", async () => {
    route(CHANGE, () =>
      allauthErrors(400, [{ code: "enter_current_password", param: "current_password" }]),
    );
    renderSettings();
    await userEvent.type(await screen.findByLabelText("Current password"), "nope");
    await userEvent.type(screen.getByLabelText("New password"), "violet-harbour-42");
    await userEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText("That is not your current password.")).toBeVisible();
    expect(screen.queryByText("Your password is changed.")).toBeNull();
  });

  it("shows a new address as pending until its link is followed", async () => {
    route(`POST ${EMAILS}`, () =>
      addresses({ email: "ada@new.example", primary: false, verified: false }),
    );
    renderSettings();
    expect(await screen.findByText("Your email address: ada@example.com")).toBeVisible();
    await userEvent.type(screen.getByLabelText("New email address"), "ada@new.example");
    await userEvent.click(screen.getByRole("button", { name: "Change email" }));
    expect(await screen.findByText(/Waiting for confirmation: ada@new.example/)).toBeVisible();
    expect(screen.getByText("Your email address: ada@example.com")).toBeVisible();
    expect(calls.find((c) => c.method === "POST")?.headers.get("X-CSRFToken")).toBe("tok");
  });
});
