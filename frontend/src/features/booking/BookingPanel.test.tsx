import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { todayIn } from "../../lib/time";
import {
  SESSION,
  apiError,
  calls,
  json,
  notSignedIn,
  resetApi,
  route,
  signedInAs,
} from "../../test/api";
import { renderAt } from "../../test/render";
import { salonDetail } from "../../test/salon";
import { BookingPanel } from "./BookingPanel";

const zone = "Europe/Berlin";
const day = todayIn(zone);
const slot = (time: string) => ({
  start: `${day}T${time}:00+01:00`,
  end: `${day}T${time}:45+01:00`,
  staff_ids: ["ann"],
});

const salon = salonDetail({
  timezone: zone,
  services: [
    {
      id: "cut",
      name: "Haircut",
      description: "",
      duration_minutes: 45,
      buffer_after_minutes: 0,
      price: "30.00",
      currency: "EUR",
    },
  ],
  staff: [{ id: "ann", name: "Ann", service_ids: ["cut"] }],
  policy: { min_notice_minutes: 0, horizon_days: 60, cancellation_cutoff_minutes: 1440 },
});

function signedIn() {
  route(`GET ${SESSION}`, () => signedInAs("ada@example.com"));
}

function renderPanel(search: string) {
  return renderAt(`/salons/s1${search}`, [
    { path: "/salons/:salonId", element: <BookingPanel salon={salon} /> },
    { path: "/account/sign-in", element: <p>sign-in page</p> },
    { path: "/appointments/:id", element: <p>appointment page</p> },
  ]);
}

describe("booking", () => {
  beforeEach(() => {
    resetApi();
    route(`GET ${SESSION}`, () => notSignedIn());
    route("GET /api/v1/salons/s1/availability", () =>
      json({ timezone: zone, slots: [slot("10:30"), slot("11:00")] }),
    );
  });

  it("walks service → time → Book and sends the chosen slot", async () => {
    signedIn();
    route("POST /api/v1/appointments", () => json({ id: "a1" }, 201));
    const { router } = renderPanel("");
    await userEvent.click(screen.getByRole("radio", { name: /Haircut/ }));
    await userEvent.click(await screen.findByRole("button", { name: "11:00" }));
    await userEvent.click(screen.getByRole("button", { name: "Book" }));
    await screen.findByText("appointment page");
    expect(router.state.location.pathname).toBe("/appointments/a1");
    expect(calls.find((c) => c.method === "POST")?.body).toEqual({
      service: "cut",
      start: slot("11:00").start,
      staff: null,
    });
  });

  it("sends a signed-out person to sign in, keeping the chosen time in the way back", async () => {
    const { router } = renderPanel(
      `?service=cut&day=${day}&slot=${encodeURIComponent(slot("10:30").start)}`,
    );
    expect(await screen.findByRole("button", { name: "10:30" })).toHaveAttribute(
      "aria-pressed",
      "true",
    );
    await userEvent.click(screen.getByRole("button", { name: "Book" }));
    await screen.findByText("sign-in page");
    const next = new URLSearchParams(router.state.location.search).get("next") ?? "";
    expect(next).toContain("service=cut");
    expect(new URLSearchParams(next.split("?")[1]).get("slot")).toBe(slot("10:30").start);
  });

  it("says the time was taken meanwhile and shows the times still free", async () => {
    signedIn();
    route("POST /api/v1/appointments", () => {
      // The other person's booking landed first: the fresh list no longer has 10:30.
      route("GET /api/v1/salons/s1/availability", () =>
        json({ timezone: zone, slots: [slot("11:00")] }),
      );
      return apiError(409, "slot_unavailable");
    });
    renderPanel(`?service=cut&day=${day}&slot=${encodeURIComponent(slot("10:30").start)}`);
    await userEvent.click(await screen.findByRole("button", { name: "Book" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Someone booked 10:30 a moment ago. Here are the times still free.",
    );
    const times = within(await screen.findByRole("group", { name: /^Free times on/ }));
    expect(await times.findByRole("button", { name: "11:00" })).toHaveAttribute(
      "aria-pressed",
      "false",
    );
    expect(times.queryByRole("button", { name: "10:30" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Book" })).toBeNull();
  });

  it("explains other failures in words and keeps the choice", async () => {
    signedIn();
    route("POST /api/v1/appointments", () => apiError(503, "service_unavailable"));
    renderPanel(`?service=cut&day=${day}&slot=${encodeURIComponent(slot("10:30").start)}`);
    await userEvent.click(await screen.findByRole("button", { name: "Book" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Something went wrong on our side.");
    expect(screen.getByRole("button", { name: "10:30" })).toHaveAttribute("aria-pressed", "true");
  });
});
