import type { APIRequestContext } from "@playwright/test";
import { expect, test } from "./fixtures";
import {
  DEMO_PASSWORD,
  OWNER,
  apiToken,
  expectAccessible,
  newCustomer,
  ownedSalons,
  screenshot,
  signIn,
} from "./helpers";

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

/** Makes a salon bookable right now: every day open, no notice, 5-minute steps. */
async function openAllDay(
  request: APIRequestContext,
  token: string,
  salonId: string,
): Promise<void> {
  const headers = { Authorization: `Bearer ${token}` };
  const base = `/api/v1/manage/salons/${salonId}`;
  const week = [0, 1, 2, 3, 4, 5, 6];
  const put = async (url: string, data: unknown) => {
    const response = await request.put(url, { headers, data });
    expect(response.ok(), `${url}: ${await response.text()}`).toBeTruthy();
  };
  await put(`${base}/policy`, {
    min_notice_minutes: 0,
    horizon_days: 30,
    cancellation_cutoff_minutes: 0,
    slot_step_minutes: 5,
  });
  await put(
    `${base}/hours`,
    week.map((weekday) => ({ weekday, opens: "00:00", closes: "23:55" })),
  );
  const staff = (await (await request.get(`${base}/staff?page_size=100`, { headers })).json()) as {
    results: { id: string }[];
  };
  for (const member of staff.results) {
    await put(
      `${base}/staff/${member.id}/hours`,
      week.map((weekday) => ({ weekday, starts: "00:00", ends: "23:55" })),
    );
  }
}

test("the owner marks an appointment completed once it has started", async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(12 * 60_000); // the appointment must start: up to one 5-minute step
  const salon = (await ownedSalons(request))[2];
  if (!salon) throw new Error("the demo owner manages three salons");
  await openAllDay(request, await apiToken(request, OWNER), salon.id);

  const email = await newCustomer(request, "completed");
  const customerToken = await apiToken(request, email);
  const detail = (await (await request.get(`/api/v1/salons/${salon.id}`)).json()) as {
    services: { id: string }[];
  };
  const service = detail.services[0];
  if (!service) throw new Error("the salon offers no service");
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: salon.timezone }).format(new Date());
  const tomorrow = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000)
    .toISOString()
    .slice(0, 10);
  const availability = (await (
    await request.get(
      `/api/v1/salons/${salon.id}/availability?service=${service.id}&from=${today}&to=${tomorrow}`,
    )
  ).json()) as { slots: { start: string }[] };
  const slot = availability.slots[0];
  if (!slot) throw new Error("no slot today or tomorrow");
  const booked = await request.post("/api/v1/appointments", {
    headers: { Authorization: `Bearer ${customerToken}` },
    data: { service: service.id, start: slot.start },
  });
  expect(booked.status(), await booked.text()).toBe(201);

  const wait = Date.parse(slot.start) - Date.now() + 2_000;
  test.skip(wait > 10 * 60_000, `the first slot starts in ${Math.round(wait / 60_000)} min`);
  if (wait > 0) await page.waitForTimeout(wait);

  await page.goto(`/account/sign-in?next=${encodeURIComponent(`/manage/${salon.id}`)}`);
  await page.getByLabel("Email").fill(OWNER);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "This week" }).click();
  const item = page
    .getByRole("listitem")
    .filter({ hasText: "E2e completed" })
    .filter({ hasText: "Confirmed" })
    .first();
  await item.getByRole("button", { name: "Mark completed" }).click();
  await expect(
    page
      .getByRole("listitem")
      .filter({ hasText: "E2e completed" })
      .filter({ hasText: "Completed" })
      .first(),
  ).toBeVisible();
  await screenshot(page, testInfo, "manage-completed.png");
});
