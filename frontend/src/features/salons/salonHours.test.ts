import { describe, expect, it } from "vitest";
import { closureOn, formatClosureDays, formatIntervals, weekRows } from "./salonHours";

describe("a salon's week", () => {
  it("has all seven days from Monday, split days in opening order, seconds dropped", () => {
    const rows = weekRows([
      { weekday: 2, opens: "14:00:00", closes: "18:30:00" },
      { weekday: 2, opens: "09:00:00", closes: "12:00:00" },
      { weekday: 0, opens: "10:00:00", closes: "16:00:00" },
    ]);
    expect(rows.map((r) => r.weekday)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(rows.map((r) => formatIntervals(r.intervals))).toEqual([
      "10:00–16:00",
      "Closed",
      "09:00–12:00, 14:00–18:30",
      "Closed",
      "Closed",
      "Closed",
      "Closed",
    ]);
  });
});

describe("closures", () => {
  const easter = { start_date: "2026-04-03", end_date: "2026-04-06", reason: "Easter" };
  const oneDay = { start_date: "2026-05-01", end_date: "2026-05-01", reason: "" };

  it("cover their first and last day", () => {
    expect(closureOn([easter, oneDay], "2026-04-03")).toBe(easter);
    expect(closureOn([easter, oneDay], "2026-04-06")).toBe(easter);
    expect(closureOn([easter, oneDay], "2026-04-07")).toBeUndefined();
  });

  it("read as one day or a range", () => {
    expect(formatClosureDays(oneDay)).toBe("Fri 1 May");
    expect(formatClosureDays(easter)).toBe("Fri 3 Apr – Mon 6 Apr");
  });
});
