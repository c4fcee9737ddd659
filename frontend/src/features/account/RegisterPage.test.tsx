import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { SESSION, allauthErrors, calls, notSignedIn, resetApi, route } from "../../test/api";
import { renderAt } from "../../test/render";
import { takeReturnPath } from "../booking/bookingDraft";
import { RegisterPage } from "./RegisterPage";

const SIGNUP = "POST /api/_allauth/browser/v1/auth/signup";

function renderRegister(path = "/account/signup?next=%2Fsalons%2Fs1%3Fslot%3Dx") {
  return renderAt(path, [
    { path: "/account/signup", element: <RegisterPage /> },
    { path: "/account/sign-in", element: <p>sign-in page</p> },
  ]);
}

async function fill(password: string) {
  await userEvent.type(screen.getByLabelText("First name"), "Robin");
  await userEvent.type(screen.getByLabelText("Email"), "robin@example.com");
  await userEvent.type(screen.getByLabelText("Password"), password);
  await userEvent.click(screen.getByRole("button", { name: "Create account" }));
}

describe("creating an account", () => {
  beforeEach(() => {
    resetApi();
    document.cookie = "csrftoken=tok; path=/";
    route(`GET ${SESSION}`, () => notSignedIn());
  });

  it("signs up and asks to confirm the address, remembering the chosen time", async () => {
    route(SIGNUP, () => notSignedIn(["verify_email"]));
    renderRegister();
    await fill("a-long-unusual-passphrase");
    expect(await screen.findByRole("heading", { name: "Check your email" })).toBeVisible();
    expect(screen.getByText(/We sent a link to robin@example.com/)).toBeVisible();
    expect(screen.getByText(/We keep the time you chose/)).toBeVisible();
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      email: "robin@example.com",
      password: "a-long-unusual-passphrase",
      first_name: "Robin",
      last_name: "",
    });
    expect(takeReturnPath()).toBe("/salons/s1?slot=x");
  });

  it("explains a weak password beside the field, in our words", async () => {
    route(SIGNUP, () =>
      allauthErrors(400, [{ code: "password_too_common", param: "password", message: "x" }]),
    );
    renderRegister();
    await fill("password");
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Please check the highlighted fields.",
    );
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(
      /This password is too common. Please choose another./,
    );
    expect(screen.queryByRole("heading", { name: "Check your email" })).toBeNull();
  });
});
