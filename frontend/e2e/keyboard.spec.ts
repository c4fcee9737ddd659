import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, customerSalon, newCustomer, tabTo } from "./helpers";

test("booking with the keyboard alone", async ({ page, request }) => {
  const salon = await customerSalon(request);
  const email = await newCustomer(request, "keyboard");

  await page.goto(`/account/sign-in?next=${encodeURIComponent(`/salons/${salon.id}`)}`);
  await tabTo(page, page.getByLabel("Email"));
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: salon.name })).toBeVisible();

  await tabTo(
    page,
    page.getByRole("group", { name: "Choose a service" }).getByRole("radio").first(),
  );
  await page.keyboard.press("Space");
  // Three days ahead, then the first free time of that week.
  const days = page.getByRole("group", { name: "Days" }).getByRole("button");
  for (let day = 3; ; day++) {
    if (day === 7) {
      await tabTo(page, page.getByRole("button", { name: "Next week" }));
      await page.keyboard.press("Enter");
      day = 0;
    }
    await tabTo(page, days.nth(day));
    await page.keyboard.press("Enter");
    await expect(
      page
        .getByRole("group", { name: /^Free times on/ })
        .or(page.getByText("No free times on this day.")),
    ).toBeVisible();
    if ((await page.getByRole("group", { name: /^Free times on/ }).count()) > 0) break;
  }
  const time = page
    .getByRole("group", { name: /^Free times on/ })
    .getByRole("button")
    .first();
  await tabTo(page, time);
  await page.keyboard.press("Enter");
  await expect(time).toHaveAttribute("aria-pressed", "true");
  await tabTo(page, page.getByRole("button", { name: "Book" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText("Booked!");
});
