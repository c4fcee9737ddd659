import { describe, expect, it } from "vitest";
import type { SalonAppointment } from "../../api/types";
import { byStaff, rangeBounds } from "./schedule";

describe("the salon's schedule", () => {
  it("bounds today by the salon's midnights", () => {
    expect(rangeBounds("today", "2026-12-02", "Europe/Berlin")).toEqual({
      startAfter: "2026-12-01T23:00:00.000Z",
      startBefore: "2026-12-02T23:00:00.000Z",
    });
  });

  it("runs a week from Monday to Monday, across a DST change", () => {
    // Clocks go back on Sunday 25 Oct 2026: that week lasts 169 hours, the next is all CET.
    expect(rangeBounds("week", "2026-10-28", "Europe/Berlin")).toEqual({
      startAfter: "2026-10-25T23:00:00.000Z",
      startBefore: "2026-11-01T23:00:00.000Z",
    });
    expect(rangeBounds("week", "2026-10-25", "Europe/Berlin")).toEqual({
      startAfter: "2026-10-18T22:00:00.000Z", // Monday 19 Oct, 00:00 CEST
      startBefore: "2026-10-25T23:00:00.000Z", // Monday 26 Oct, 00:00 CET
    });
  });

  it("groups appointments per staff member, each in time order", () => {
    const at = (id: string, staff: string, start: string) =>
      ({ id, staff_name: staff, start }) as SalonAppointment;
    const groups = byStaff([
      at("b2", "Bea", "2026-12-02T11:00:00Z"),
      at("a1", "Al", "2026-12-02T10:00:00Z"),
      at("b1", "Bea", "2026-12-02T09:00:00+01:00"),
    ]);
    expect(groups.map(([staff, list]) => [staff, list.map((a) => a.id)])).toEqual([
      ["Al", ["a1"]],
      ["Bea", ["b1", "b2"]],
    ]);
  });
});
