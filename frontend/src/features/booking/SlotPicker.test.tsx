import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { json, resetApi, route } from "../../test/api";
import { withClient } from "../../test/render";
import { todayIn } from "../../lib/time";
import { SlotPicker, type SlotPickerProps } from "./SlotPicker";

const zone = "Europe/Berlin";
const today = todayIn(zone);

function slotAt(time: string) {
  return {
    start: `${today}T${time}:00+01:00`,
    end: `${today}T${time}:30+01:00`,
    staff_ids: ["ann"],
  };
}

function renderPicker(overrides: Partial<SlotPickerProps> = {}) {
  const props: SlotPickerProps = {
    salonId: "s1",
    serviceId: "svc",
    staffId: null,
    timezone: zone,
    day: null,
    selected: null,
    onDay: vi.fn(),
    onSelect: vi.fn(),
    viewerZone: zone,
    ...overrides,
  };
  render(withClient(<SlotPicker {...props} />));
  return props;
}

describe("SlotPicker", () => {
  beforeEach(() => {
    resetApi();
    route("GET /api/v1/salons/s1/availability", () =>
      json({ timezone: zone, slots: [slotAt("10:30"), slotAt("11:00")] }),
    );
  });

  it("offers each free time as a button named by its time", async () => {
    const props = renderPicker();
    const times = within(await screen.findByRole("group", { name: /^Free times on/ })).getAllByRole(
      "button",
    );
    expect(times.map((b) => b.textContent)).toEqual(["10:30", "11:00"]);
    await userEvent.click(screen.getByRole("button", { name: "10:30" }));
    expect(props.onSelect).toHaveBeenCalledWith(slotAt("10:30"));
  });

  it("labels the salon's zone and adds the viewer's time when it differs", async () => {
    renderPicker({ viewerZone: "America/New_York" });
    expect(
      await screen.findByRole("button", { name: /^10:30 your time 0[34]:30$/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Times are in the salon's time zone: Europe\/Berlin \(GMT\+[12]\)/),
    ).toBeInTheDocument();
  });

  it("marks the chosen time and hides a time lost to someone else", async () => {
    renderPicker({ selected: slotAt("11:00").start, taken: new Set([slotAt("10:30").start]) });
    const eleven = await screen.findByRole("button", { name: "11:00" });
    expect(eleven).toHaveAttribute("aria-pressed", "true");
    expect(screen.queryByRole("button", { name: "10:30" })).toBeNull();
  });

  it("says so when a day has no free time", async () => {
    route("GET /api/v1/salons/s1/availability", () => json({ timezone: zone, slots: [] }));
    renderPicker();
    expect(await screen.findByText("No free times on this day.")).toBeInTheDocument();
  });
});
