import { describe, expect, it } from "vitest";
import type { Appointment } from "../../api/types";
import { changeWindow, splitAppointments } from "./appointmentRules";

const base: Appointment = {
  id: "",
  status: "confirmed",
  start: "",
  end: "",
  salon: "s",
  salon_name: "S",
  service: "v",
  service_name: "V",
  staff: "t",
  staff_name: "T",
  price: "10.00",
  currency: "EUR",
  created_at: "2026-01-01T00:00:00Z",
  cancellable_until: null,
  reschedulable_until: null,
};
const at = (id: string, start: string, status = "confirmed"): Appointment => ({
  ...base,
  id,
  start,
  end: start,
  status,
});

describe("my appointments", () => {
  it("lists confirmed future ones as upcoming (soonest first) and the rest as past (newest first)", () => {
    const now = new Date("2026-06-01T12:00:00Z");
    const { upcoming, past } = splitAppointments(
      [
        at("later", "2026-06-10T09:00:00Z"),
        at("sooner", "2026-06-02T09:00:00+02:00"),
        at("cancelled", "2026-06-05T09:00:00Z", "cancelled_by_customer"),
        at("done", "2026-05-01T09:00:00Z", "completed"),
        at("earlier-today", "2026-06-01T11:00:00Z"),
      ],
      now,
    );
    expect(upcoming.map((a) => a.id)).toEqual(["sooner", "later"]);
    expect(past.map((a) => a.id)).toEqual(["cancelled", "earlier-today", "done"]);
  });
});

describe("the online change window", () => {
  const appointment: Appointment = {
    ...at("a", "2026-06-02T10:00:00Z"),
    cancellable_until: "2026-06-01T10:00:00Z",
    reschedulable_until: "2026-06-01T10:00:00Z",
  };

  it("is open until the cutoff the API gives, that moment included", () => {
    expect(changeWindow(appointment, new Date("2026-06-01T10:00:00Z"))).toEqual({
      kind: "open",
      until: "2026-06-01T10:00:00Z",
    });
  });

  it("is closed after the cutoff while the appointment is still ahead", () => {
    expect(changeWindow(appointment, new Date("2026-06-01T10:00:01Z"))).toEqual({
      kind: "closed",
      since: "2026-06-01T10:00:00Z",
    });
  });

  it("does not apply once the appointment started or is no longer confirmed", () => {
    expect(changeWindow(appointment, new Date("2026-06-02T10:00:00Z"))).toEqual({ kind: "none" });
    const cancelled = { ...appointment, status: "cancelled_by_salon", cancellable_until: null };
    expect(changeWindow(cancelled, new Date("2026-05-01T00:00:00Z"))).toEqual({ kind: "none" });
  });
});
