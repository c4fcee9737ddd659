import { expect, test } from "./fixtures";
import {
  CUSTOMER,
  customerSalon,
  expectAccessible,
  firstFreeTime,
  screenshot,
  signIn,
} from "./helpers";
import { mailClock, mailedLink } from "./mail";

test.use({ timezoneId: "America/Los_Angeles" }); // not the salon's zone: times are converted

test("a customer finds a salon, books (signing in on the way), reschedules and cancels", async ({
  page,
  request,
}, testInfo) => {
  const salon = await customerSalon(request);

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Find a salon" })).toBeVisible();
  // Its own city: Europe/Berlin is also Munich's zone, and the demo data varies with the date.
  await page.getByLabel("City").fill(salon.city);
  await page.getByRole("button", { name: "Search" }).click();
  await expectAccessible(page, testInfo, "home");
  await screenshot(page, testInfo, "home.png");
  await page.getByRole("link", { name: salon.name }).click();

  await expect(page.getByRole("heading", { level: 1, name: salon.name })).toBeVisible();
  // The week's hours in the salon's zone (not the browser's), today's row marked; the policy.
  const hours = page.getByRole("table", {
    name: /^Times in the salon's time zone, Europe\/Berlin/,
  });
  await expect(hours.getByRole("rowheader")).toHaveCount(7);
  await expect(hours.locator('tr[aria-current="date"]')).toHaveCount(1);
  await expect(page.getByRole("heading", { name: "Booking policy" })).toBeVisible();
  await page.getByRole("group", { name: "Choose a service" }).getByRole("radio").first().check();
  await expect(page.getByText(/Times are in the salon's time zone: Europe\/Berlin/)).toBeVisible();
  await expect(page.getByText(/Your time \(America\/Los Angeles/)).toBeVisible();
  const time = await firstFreeTime(page);
  const label = (await time.textContent()) ?? "";
  expect(label).toMatch(/^\d\d:\d\d your time \d\d:\d\d$/);
  await time.click();
  await expect(time).toHaveAttribute("aria-pressed", "true");
  await expectAccessible(page, testInfo, "salon");
  await screenshot(page, testInfo, "salon-page.png");

  // Not signed in: Book leads through sign-in and back, the chosen time still chosen.
  await page.getByRole("button", { name: "Book" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expectAccessible(page, testInfo, "sign-in");
  await signIn(page, CUSTOMER);
  await expect(page.getByRole("heading", { level: 1, name: salon.name })).toBeVisible();
  await expect(page.getByRole("button", { name: label })).toHaveAttribute("aria-pressed", "true");
  await page.getByRole("button", { name: "Book" }).click();

  await expect(page.getByRole("status")).toContainText("Booked!");
  await expect(page.getByText("Confirmed")).toBeVisible();
  await expect(page.getByText(/^You can reschedule or cancel online until /)).toBeVisible();
  await expectAccessible(page, testInfo, "appointment");
  await screenshot(page, testInfo, "booked.png");

  await page.getByRole("button", { name: "Reschedule" }).click();
  const newTime = await firstFreeTime(page, { skip: 1 });
  await newTime.click();
  await page.getByRole("button", { name: "Confirm new time" }).click();
  await expect(page.getByRole("status")).toContainText("has moved to");

  await page.getByRole("button", { name: "Cancel appointment" }).click();
  await page.getByRole("button", { name: "Yes, cancel it" }).click();
  await expect(page.getByRole("status")).toContainText("cancelled");
  await expect(page.getByText("Cancelled by you")).toBeVisible();

  await page.getByRole("link", { name: "My appointments" }).first().click();
  await expect(page.getByRole("heading", { name: "My appointments" })).toBeVisible();
  await expectAccessible(page, testInfo, "my-appointments");
  await screenshot(page, testInfo, "my-appointments.png");
});

test("a new customer creates an account on the way to booking and keeps the chosen time", async ({
  page,
  request,
}, testInfo) => {
  const salon = await customerSalon(request);
  await page.goto(`/salons/${salon.id}`);
  await page.getByRole("group", { name: "Choose a service" }).getByRole("radio").first().check();
  const time = await firstFreeTime(page, { fromDay: 4 });
  const label = (await time.textContent()) ?? "";
  await time.click();
  await page.getByRole("button", { name: "Book" }).click();

  await page.getByRole("link", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Create an account" })).toBeVisible();
  const email = `e2e-register-${Date.now()}@example.com`;
  await page.getByLabel("First name").fill("Robin");
  await page.getByLabel("Last name").fill("Newcomer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("alert")).toBeVisible(); // a weak password is explained
  await expect(page.getByText("The password must be at least 8 characters long.")).toBeVisible();
  await expectAccessible(page, testInfo, "register-error");
  const since = mailClock();
  await page.getByLabel("Password").fill("a-long-and-unusual-passphrase-42");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expect(page.getByText("We keep the time you chose")).toBeVisible();
  await expectAccessible(page, testInfo, "check-email");

  // The link from the e-mail, opened later in a new tab: confirmed, signed in, back at the time.
  const link = await mailedLink(email, "verify-email", since);
  const tab = await page.context().newPage();
  await tab.goto(link);
  await expect(tab.getByRole("heading", { level: 1, name: salon.name })).toBeVisible();
  await expect(tab.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(tab.getByRole("button", { name: label })).toHaveAttribute("aria-pressed", "true");
  await tab.getByRole("button", { name: "Book" }).click();
  await expect(tab.getByRole("status")).toContainText("Booked!");
});
