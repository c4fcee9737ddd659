import AxeBuilder from "@axe-core/playwright";
import {
  expect,
  type APIRequestContext,
  type Locator,
  type Page,
  type TestInfo,
} from "@playwright/test";
import { confirmedCustomer } from "./mail";

export const DEMO_PASSWORD = "demo-password-123";
export const CUSTOMER = "customer@example.com";
export const OWNER = "owner@example.com";

/** Fails on any serious or critical axe violation, naming them. */
export async function expectAccessible(
  page: Page,
  testInfo: TestInfo,
  name: string,
): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  await testInfo.attach(`axe-${name}.json`, {
    body: JSON.stringify(results.violations, null, 2),
    contentType: "application/json",
  });
  expect(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`),
    `axe on ${name}`,
  ).toEqual([]);
}

/** A full-page screenshot kept in the test's output folder (and linked from the report). */
export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(name);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}

export async function signIn(page: Page, email: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The group of free-time buttons for the selected day. */
export function freeTimes(page: Page): Locator {
  return page.getByRole("group", { name: /^Free times on/ }).getByRole("button");
}

/**
 * Walks the days (and weeks) until one has free times; returns that day's time button at
 * index `skip`. `fromDay` skips days near today (inside the salons' 24-hour cutoff).
 */
export async function firstFreeTime(page: Page, { skip = 0, fromDay = 2 } = {}): Promise<Locator> {
  for (let week = 0; week < 4; week++) {
    const days = page.getByRole("group", { name: "Days" }).getByRole("button");
    for (let i = week === 0 ? fromDay : 0; i < (await days.count()); i++) {
      await days.nth(i).click();
      const times = page
        .getByRole("group", { name: /^Free times on/ })
        .or(page.getByText("No free times on this day."));
      await expect(times.first()).toBeVisible();
      if ((await freeTimes(page).count()) > skip) return freeTimes(page).nth(skip);
    }
    await page.getByRole("button", { name: "Next week" }).click();
  }
  throw new Error("no free time within four weeks");
}

export interface DemoSalon {
  id: string;
  name: string;
  city: string;
  timezone: string;
}

/** The demo salons, from the public API (the same data the page shows). */
export async function demoSalons(request: APIRequestContext): Promise<DemoSalon[]> {
  const response = await request.get("/api/v1/salons?page_size=100");
  expect(response.ok()).toBeTruthy();
  return ((await response.json()) as { results: DemoSalon[] }).results;
}

export async function apiToken(request: APIRequestContext, email: string): Promise<string> {
  const response = await request.post("/api/v1/auth/token", {
    data: { email, password: DEMO_PASSWORD },
  });
  expect(response.ok()).toBeTruthy();
  return ((await response.json()) as { access: string }).access;
}

let owned: DemoSalon[] | null = null;

/**
 * The salons the demo owner manages (owner@example.com owns the first three). Asked once per
 * worker: sign-ins are rate-limited (30 a minute) and the specs sign in often enough.
 */
export async function ownedSalons(request: APIRequestContext): Promise<DemoSalon[]> {
  if (owned !== null) return owned;
  const token = await apiToken(request, OWNER);
  const response = await request.get("/api/v1/manage/salons?page_size=100", {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.ok()).toBeTruthy();
  owned = ((await response.json()) as { results: DemoSalon[] }).results;
  return owned;
}

/** Demo salons the demo owner does not manage: customer specs book there, undisturbed. */
export async function customerSalon(
  request: APIRequestContext,
  timezone = "Europe/Berlin",
): Promise<DemoSalon> {
  const owned = new Set((await ownedSalons(request)).map((s) => s.id));
  const salon = (await demoSalons(request)).find(
    (s) => !owned.has(s.id) && s.timezone === timezone,
  );
  if (!salon) throw new Error(`no demo salon in ${timezone}`);
  return salon;
}

/** A new customer (unique per run) whose address is confirmed, so the app can sign them in. */
export function newCustomer(request: APIRequestContext, tag: string): Promise<string> {
  return confirmedCustomer(request, tag, DEMO_PASSWORD);
}

/** Presses Tab until the locator has focus: reaching a control by keyboard alone. */
export async function tabTo(page: Page, target: Locator, maxPresses = 150): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error("could not reach the control with Tab");
}
