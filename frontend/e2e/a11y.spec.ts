import type { Page, TestInfo } from "@playwright/test";
import { expect, test } from "./fixtures";
import {
  CUSTOMER,
  OWNER,
  customerSalon,
  expectAccessible,
  ownedSalons,
  screenshot,
  signIn,
} from "./helpers";

const PHONE = { width: 390, height: 844 };

/** axe at desktop and phone size; no sideways scrolling on the phone. */
async function checkPage(
  page: Page,
  testInfo: TestInfo,
  name: string,
  ready: RegExp | string,
): Promise<void> {
  await expect(page.getByRole("heading", { level: 1, name: ready })).toBeVisible();
  await expectAccessible(page, testInfo, name);
  await page.setViewportSize(PHONE);
  await expectAccessible(page, testInfo, `${name}-phone`);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow, `${name} scrolls sideways on a phone`).toBeLessThanOrEqual(0);
  await screenshot(page, testInfo, `${name}-phone.png`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

test("public pages have no serious or critical axe violations", async ({
  page,
  request,
}, testInfo) => {
  const salon = await customerSalon(request);
  const pages: [string, string, RegExp | string][] = [
    ["/", "home", "Find a salon"],
    [`/salons/${salon.id}`, "salon", salon.name],
    ["/account/sign-in", "sign-in", "Sign in"],
    ["/account/register", "register", "Create an account"],
    ["/account/password/reset", "forgot-password", "Reset your password"],
    ["/account/password/reset/key/0-not-a-key", "reset-dead-link", /does not work any more/],
    ["/account/verify-email/not-a-key", "verify-dead-link", "This link does not work any more"],
    ["/no-such-page", "not-found", "We could not find that page."],
  ];
  for (const [path, name, heading] of pages) {
    await page.goto(path);
    await checkPage(page, testInfo, name, heading);
  }
  // The salon page with a service chosen: days, free times and the zone note are on screen.
  await page.goto(`/salons/${salon.id}`);
  await page.getByRole("group", { name: "Choose a service" }).getByRole("radio").first().check();
  await expect(page.getByRole("group", { name: "Days" })).toBeVisible();
  await checkPage(page, testInfo, "salon-times", salon.name);
});

test("customer pages have no serious or critical axe violations", async ({ page }, testInfo) => {
  await page.goto("/account/sign-in?next=/appointments");
  await signIn(page, CUSTOMER);
  await checkPage(page, testInfo, "my-appointments", "My appointments");
  await page.getByRole("link", { name: "Profile" }).click();
  await checkPage(page, testInfo, "profile", "Your profile");
});

test("management pages have no serious or critical axe violations", async ({
  page,
  request,
}, testInfo) => {
  const salon = (await ownedSalons(request))[0];
  if (!salon) throw new Error("the demo owner manages salons");
  await page.goto("/account/sign-in?next=/manage");
  await signIn(page, OWNER);
  await checkPage(page, testInfo, "manage", "Manage your salons");
  await page.goto(`/manage/${salon.id}`);
  await checkPage(page, testInfo, "manage-schedule", /^Schedule/);
  await page.getByRole("button", { name: "This week" }).click();
  await checkPage(page, testInfo, "manage-week", /^Schedule/);
  await page.goto(`/manage/${salon.id}/settings`);
  await expect(page.getByRole("button", { name: "Save hours" })).toBeVisible();
  await page
    .locator("details")
    .first()
    .evaluate((d) => {
      d.setAttribute("open", "");
    });
  await checkPage(page, testInfo, "manage-settings", /^Salon settings/);
});
