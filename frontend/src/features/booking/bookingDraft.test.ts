import { describe, expect, it } from "vitest";
import {
  draftFromParams,
  draftReducer,
  draftToParams,
  emptyDraft,
  isBookable,
  rememberReturnPath,
  takeReturnPath,
  type BookingDraft,
} from "./bookingDraft";

const chosen: BookingDraft = {
  serviceId: "svc",
  staffId: "ann",
  day: "2026-12-09",
  slotStart: "2026-12-09T10:30:00+01:00",
};

describe("the booking draft", () => {
  it("forgets the time when the service, staff member or day changes", () => {
    expect(draftReducer(chosen, { type: "chooseService", serviceId: "other" })).toEqual({
      ...chosen,
      serviceId: "other",
      staffId: null,
      slotStart: null,
    });
    expect(draftReducer(chosen, { type: "chooseStaff", staffId: null })).toEqual({
      ...chosen,
      staffId: null,
      slotStart: null,
    });
    expect(draftReducer(chosen, { type: "chooseDay", day: "2026-12-10" })).toEqual({
      ...chosen,
      day: "2026-12-10",
      slotStart: null,
    });
  });

  it("keeps service, staff and day when the time was taken meanwhile", () => {
    expect(draftReducer(chosen, { type: "slotTaken" })).toEqual({ ...chosen, slotStart: null });
  });

  it("is bookable with a service and a time, staff optional", () => {
    expect(isBookable(chosen)).toBe(true);
    expect(isBookable({ ...chosen, staffId: null })).toBe(true);
    expect(isBookable({ ...chosen, slotStart: null })).toBe(false);
    expect(isBookable(emptyDraft)).toBe(false);
  });

  it("survives a round trip through the URL (and so through sign-in)", () => {
    const params = draftToParams(chosen);
    expect(params.get("slot")).toBe("2026-12-09T10:30:00+01:00");
    expect(draftFromParams(new URLSearchParams(params.toString()))).toEqual(chosen);
    expect(draftToParams(emptyDraft).toString()).toBe("");
  });
});

describe("the way back across the verification link", () => {
  it("is kept once and forgotten as it is read", () => {
    rememberReturnPath("/salons/s1?service=cut&slot=2026-01-05T10%3A30%3A00%2B01%3A00", 1000);
    expect(takeReturnPath(2000)).toBe(
      "/salons/s1?service=cut&slot=2026-01-05T10%3A30%3A00%2B01%3A00",
    );
    expect(takeReturnPath(3000)).toBeNull();
  });

  it("grows old with the link (three days)", () => {
    rememberReturnPath("/salons/s1", 0);
    expect(takeReturnPath(3 * 24 * 3600 * 1000 + 1)).toBeNull();
  });

  it("never leads off the site", () => {
    rememberReturnPath("//evil.example/x", 0);
    expect(takeReturnPath(1)).toBeNull();
    localStorage.setItem("booking.returnTo", "not json");
    expect(takeReturnPath(1)).toBeNull();
  });
});
