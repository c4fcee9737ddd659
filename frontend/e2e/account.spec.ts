import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, expectAccessible, newCustomer, screenshot } from "./helpers";
import { NEW_PASSWORD, mailClock, mailedLink } from "./mail";

async function signInWith(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/account/sign-in?next=/account/profile");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your profile" })).toBeVisible();
}

test("forgot password: reset through the mailed link, which works once, then sign in with it", async ({
  page,
  request,
}, testInfo) => {
  const email = await newCustomer(request, "reset");
  await page.goto("/account/sign-in");
  await page.getByRole("link", { name: "Forgot password?" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Reset your password" })).toBeVisible();
  const since = mailClock();
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("status")).toContainText(`If an account exists for ${email}`);
  await expectAccessible(page, testInfo, "forgot-password");

  const link = await mailedLink(email, "password/reset/key", since);
  await page.goto(link);
  await expect(
    page.getByRole("heading", { level: 1, name: "Choose a new password" }),
  ).toBeVisible();
  await page.getByLabel("New password").fill("short");
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(page.getByText("The password must be at least 8 characters long.")).toBeVisible();
  await expectAccessible(page, testInfo, "reset-password");
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set new password" }).click();
  await expect(
    page.getByText("Your password is changed. You can sign in with it now."),
  ).toBeVisible();

  // The same link again: explained, with the way to a new one.
  await page.goto(link);
  await expect(
    page.getByRole("heading", { level: 1, name: "This reset link does not work any more" }),
  ).toBeVisible();
  await expect(page.getByRole("link", { name: "Request a new link" })).toBeVisible();
  await expectAccessible(page, testInfo, "reset-link-used");

  await page.goto("/account/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("The email or password is not right.");
  await signInWith(page, email, NEW_PASSWORD);
});

test("the profile changes the password, and the e-mail address once the new one is confirmed", async ({
  page,
  request,
}, testInfo) => {
  const email = await newCustomer(request, "profile");
  await signInWith(page, email, DEMO_PASSWORD);

  await page.getByLabel("Current password").fill("not-my-password");
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("That is not your current password.")).toBeVisible();
  await page.getByLabel("Current password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password is changed.")).toBeVisible();

  const newEmail = `changed-${email}`;
  const since = mailClock();
  await page.getByLabel("New email address").fill(newEmail);
  await page.getByRole("button", { name: "Change email" }).click();
  await expect(page.getByText(`Waiting for confirmation: ${newEmail}.`)).toBeVisible();
  await expect(page.getByText(`Your email address: ${email}`)).toBeVisible();
  await expectAccessible(page, testInfo, "profile-email-pending");
  await screenshot(page, testInfo, "profile-security.png");

  const link = await mailedLink(newEmail, "verify-email", since);
  await page.goto(link);
  await expect(page.getByText(`Your email address: ${newEmail}`)).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  // The confirmation link again: used up, and said so.
  await page.goto(link);
  await expect(
    page.getByRole("heading", { level: 1, name: "This link does not work any more" }),
  ).toBeVisible();
  await expectAccessible(page, testInfo, "verify-link-used");
  await signInWith(page, newEmail, NEW_PASSWORD);
});
