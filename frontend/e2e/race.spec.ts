import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { customerSalon, firstFreeTime, newCustomer, screenshot, signIn } from "./helpers";

async function signedInAt(page: Page, url: string, email: string): Promise<void> {
  await page.goto(`/account/sign-in?next=${encodeURIComponent(url)}`);
  await signIn(page, email);
  await expect(page.getByRole("button", { name: "Book" })).toBeVisible();
}

test("two people race for one time: exactly one booking, the other told and shown fresh times", async ({
  browser,
  request,
}, testInfo) => {
  const salon = await customerSalon(request);
  const [first, second] = [await browser.newContext(), await browser.newContext()];
  const [pageA, pageB] = [await first.newPage(), await second.newPage()];

  // A picks a time; B opens the very same choice (it lives in the URL).
  await pageA.goto(`/salons/${salon.id}`);
  await pageA.getByRole("group", { name: "Choose a service" }).getByRole("radio").first().check();
  // One named staff member: with "any", two free stylists could both rightly say yes.
  await pageA.getByLabel("Staff member").selectOption({ index: 1 });
  const time = await firstFreeTime(pageA, { fromDay: 3 });
  const label = ((await time.locator(".time").textContent()) ?? "").trim();
  await time.click();
  await expect(pageA).toHaveURL(/slot=/);
  const url = new URL(pageA.url());
  const choice = url.pathname + url.search;
  await signedInAt(pageA, choice, await newCustomer(request, "race-a"));
  await signedInAt(pageB, choice, await newCustomer(request, "race-b"));

  await Promise.all([
    pageA.getByRole("button", { name: "Book" }).click(),
    pageB.getByRole("button", { name: "Book" }).click(),
  ]);

  const outcome = async (page: Page) => {
    const booked = page.getByRole("status").filter({ hasText: "Booked!" });
    const taken = page
      .getByRole("alert")
      .filter({ hasText: `Someone booked ${label} a moment ago` });
    await expect(booked.or(taken)).toBeVisible();
    return (await booked.count()) > 0 ? "booked" : "taken";
  };
  const results = [await outcome(pageA), await outcome(pageB)];
  testInfo.annotations.push({ type: "race", description: results.join(" / ") });
  expect([...results].sort()).toEqual(["booked", "taken"]);

  const loser = results[0] === "taken" ? pageA : pageB;
  // Fresh times: the taken one is gone from the same day's list (which may now be empty).
  const fresh = loser.getByRole("group", { name: /^Free times on/ });
  await expect(fresh.or(loser.getByText("No free times on this day."))).toBeVisible();
  await expect(fresh.getByRole("button", { name: new RegExp(`^${label}`) })).toHaveCount(0);
  await expect(loser.getByRole("button", { name: "Book" })).toHaveCount(0);
  await screenshot(loser, testInfo, "race-loser.png");
  await first.close();
  await second.close();
});
