import { describe, expect, it } from "vitest";
import { formatMinutes } from "./duration";

describe("policy durations in words", () => {
  it("uses the largest whole unit people would say", () => {
    expect(formatMinutes(2 * 24 * 60)).toBe("2 days");
    expect(formatMinutes(24 * 60)).toBe("1 day");
    expect(formatMinutes(36 * 60)).toBe("36 hours");
    expect(formatMinutes(60)).toBe("1 hour");
    expect(formatMinutes(45)).toBe("45 minutes");
    expect(formatMinutes(1)).toBe("1 minute");
  });

  it("keeps hours and minutes both when neither alone is exact", () => {
    expect(formatMinutes(90)).toBe("1 hour 30 minutes");
    expect(formatMinutes(125)).toBe("2 hours 5 minutes");
  });
});
