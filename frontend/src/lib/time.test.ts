import { describe, expect, it } from "vitest";
import {
  addDays,
  dateInZone,
  formatTime,
  groupByDay,
  startOfDayInstant,
  wallTimeToInstant,
  weekday,
  windowStart,
  zoneLabel,
  zonesDiffer,
} from "./time";

describe("zone labels", () => {
  it("shows the offset in force on that day, so DST is visible", () => {
    expect(zoneLabel("Europe/Berlin", "2026-01-15T12:00:00Z")).toBe("Europe/Berlin (GMT+1)");
    expect(zoneLabel("Europe/Berlin", "2026-07-15T12:00:00Z")).toBe("Europe/Berlin (GMT+2)");
    expect(zoneLabel("America/New_York", "2026-07-15T12:00:00Z")).toBe("America/New York (GMT-4)");
  });

  it("converts only when the wall clocks really differ at that instant", () => {
    expect(zonesDiffer("Europe/Berlin", "Europe/Paris", "2026-03-29T12:00:00Z")).toBe(false);
    // London and Lisbon agree; Berlin is an hour ahead in winter and in summer.
    expect(zonesDiffer("Europe/London", "Europe/Lisbon", "2026-01-10T12:00:00Z")).toBe(false);
    expect(zonesDiffer("Europe/Berlin", "Europe/London", "2026-01-10T12:00:00Z")).toBe(true);
    // New York and Berlin change clocks on different dates: 5 hours apart, then 6.
    expect(formatTime("2026-03-20T12:00:00Z", "America/New_York")).toBe("08:00");
    expect(formatTime("2026-03-20T12:00:00Z", "Europe/Berlin")).toBe("13:00");
    expect(formatTime("2026-03-30T12:00:00Z", "Europe/Berlin")).toBe("14:00");
  });
});

describe("days in a zone", () => {
  it("groups slots by the salon's day across the spring-forward night", () => {
    const slots = [
      { start: "2026-03-28T23:30:00+01:00" },
      { start: "2026-03-29T01:30:00+01:00" },
      { start: "2026-03-29T03:30:00+02:00" }, // 02:00–03:00 does not exist that night
      { start: "2026-03-30T00:00:00+02:00" },
    ];
    const days = groupByDay(slots, "Europe/Berlin");
    expect([...days.keys()]).toEqual(["2026-03-28", "2026-03-29", "2026-03-30"]);
    expect(days.get("2026-03-29")?.map((s) => formatTime(s.start, "Europe/Berlin"))).toEqual([
      "01:30",
      "03:30",
    ]);
  });

  it("puts a late-evening UTC instant on the next day in Tokyo", () => {
    expect(dateInZone("2026-05-01T20:00:00Z", "Asia/Tokyo")).toBe("2026-05-02");
  });

  it("turns wall-clock times into instants on DST days", () => {
    expect(wallTimeToInstant("2026-03-29", "03:00", "Europe/Berlin")).toBe(
      "2026-03-29T01:00:00.000Z",
    );
    expect(wallTimeToInstant("2026-10-25", "12:00", "Europe/Berlin")).toBe(
      "2026-10-25T11:00:00.000Z",
    );
    expect(startOfDayInstant("2026-10-25", "Europe/Berlin")).toBe("2026-10-24T22:00:00.000Z");
    expect(startOfDayInstant("2026-11-01", "America/New_York")).toBe("2026-11-01T04:00:00.000Z");
  });

  it("does calendar arithmetic without zones", () => {
    expect(addDays("2026-02-27", 2)).toBe("2026-03-01");
    expect(addDays("2026-01-01", -1)).toBe("2025-12-31");
    expect(weekday("2026-12-07")).toBe(0); // a Monday
    expect(weekday("2026-12-06")).toBe(6);
  });

  it("pages through weeks counted from today", () => {
    expect(windowStart("2026-12-02", "2026-12-02")).toBe("2026-12-02");
    expect(windowStart("2026-12-02", "2026-12-08")).toBe("2026-12-02");
    expect(windowStart("2026-12-02", "2026-12-09")).toBe("2026-12-09");
    expect(windowStart("2026-12-02", "2026-11-20")).toBe("2026-12-02");
  });
});
