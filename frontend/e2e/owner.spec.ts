import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, OWNER, expectAccessible, ownedSalons, screenshot, signIn } from "./helpers";
import { soonBooking } from "./started";

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

test("the owner changes opening hours and the customer page shows the new times", async ({
  page,
  browser,
  request,
}, testInfo) => {
  const salon = (await ownedSalons(request))[1];
  if (!salon) throw new Error("the demo owner manages three salons");

  await page.goto(`/account/sign-in?next=${encodeURIComponent("/manage")}`);
  await signIn(page, OWNER);
  await expect(page.getByRole("heading", { name: "Manage your salons" })).toBeVisible();
  await expectAccessible(page, testInfo, "manage");
  await page.getByRole("link", { name: salon.name }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Schedule/ })).toBeVisible();
  await expectAccessible(page, testInfo, "manage-schedule");
  await page.getByRole("link", { name: "Salon settings" }).click();

  const hours = page.getByRole("region", { name: "Weekly opening hours" });
  await expect(hours.getByRole("button", { name: "Save hours" })).toBeVisible(); // loaded
  for (const day of WEEKDAYS) {
    const fieldset = hours.getByRole("group", { name: day });
    const removes = fieldset.getByRole("button", { name: /^Remove/ });
    while ((await removes.count()) > 0) await removes.first().click();
    await fieldset.getByRole("button", { name: `Add ${day}` }).click();
    await fieldset.getByLabel("Opens").fill("10:00");
    await fieldset.getByLabel("Closes").fill("12:00");
  }
  await hours.getByRole("button", { name: "Save hours" }).click();
  await expect(hours.getByRole("status")).toHaveText("Saved.");
  // The preview beside the settings shows the effect at once: only 10:00–12:00 starts.
  const preview = page.getByRole("complementary", { name: "Availability preview" });
  await expect(preview.getByText(/\b10:00\b/).first()).toBeVisible();
  await expect(preview.getByText(/\b(08|09|12|13|14|15|16|17|18):\d\d\b/)).toHaveCount(0);
  await expectAccessible(page, testInfo, "manage-settings");
  await screenshot(page, testInfo, "manage-settings.png");

  // A customer, in another browser context, sees only times inside the new hours.
  const customer = await browser.newContext();
  const customerPage = await customer.newPage();
  await customerPage.goto(`/salons/${salon.id}`);
  await customerPage
    .getByRole("group", { name: "Choose a service" })
    .getByRole("radio")
    .first()
    .check();
  const days = customerPage.getByRole("group", { name: "Days" }).getByRole("button");
  // Every day of the week-long window, whichever weekday the run falls on: the demo staff
  // work 10:00–12:00 on their working days, but not every day is one.
  let seen = 0;
  await expect(days).toHaveCount(7);
  for (let i = 0; i < 7; i++) {
    await days.nth(i).click();
    const times = customerPage.getByRole("group", { name: /^Free times on/ }).locator(".time");
    await expect(
      customerPage
        .getByRole("group", { name: /^Free times on/ })
        .or(customerPage.getByText("No free times on this day.")),
    ).toBeVisible();
    for (const text of await times.allTextContents()) {
      expect(text >= "10:00" && text < "12:00", `${text} is inside 10:00–12:00`).toBeTruthy();
      seen++;
    }
  }
  expect(seen).toBeGreaterThan(0);
  await screenshot(customerPage, testInfo, "customer-after-hours-change.png");
  await customer.close();
});

test("the owner marks an appointment completed once it has started", async ({ page }, testInfo) => {
  test.setTimeout(5 * 60_000); // the appointment must have started
  const { salonId, staffName, start } = soonBooking(); // booked by the global setup
  const wait = Date.parse(start) - Date.now() + 2_000;
  expect(wait, "the booked slot starts two minutes after the run began").toBeLessThan(180_000);
  if (wait > 0) await page.waitForTimeout(wait);

  await page.goto(`/account/sign-in?next=${encodeURIComponent(`/manage/${salonId}`)}`);
  await page.getByLabel("Email").fill(OWNER);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "This week" }).click();
  const appointment = page.getByRole("region", { name: staffName }).getByRole("listitem");
  await expect(appointment).toHaveCount(1);
  await expect(appointment).toContainText("Confirmed");
  await appointment.getByRole("button", { name: "Mark completed" }).click();
  await expect(appointment).toContainText("Completed");
  await screenshot(page, testInfo, "manage-completed.png");
});
