import type { Appointment } from "../../api/types";
import { isPast } from "../../lib/time";

/** Upcoming: confirmed and not yet started, soonest first. Everything else, newest first. */
export function splitAppointments(
  appointments: readonly Appointment[],
  now: Date = new Date(),
): { upcoming: Appointment[]; past: Appointment[] } {
  const upcoming = appointments.filter((a) => isUpcoming(a, now));
  const past = appointments.filter((a) => !isUpcoming(a, now));
  upcoming.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  past.sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
  return { upcoming, past };
}

/** A confirmed appointment that has not started yet. */
export function isUpcoming(appointment: Appointment, now: Date = new Date()): boolean {
  return appointment.status === "confirmed" && !isPast(appointment.start, now);
}

/**
 * Whether the customer may still cancel or reschedule online, from the cutoff the API computes
 * with the rule its cancel and reschedule enforce (`cancellable_until`, inclusive):
 * - open: until that moment;
 * - closed: upcoming, but the cutoff has passed (only the salon can change it now);
 * - none: nothing to change (cancelled, completed, or already started).
 */
export type ChangeWindow =
  { kind: "open"; until: string } | { kind: "closed"; since: string } | { kind: "none" };

export function changeWindow(appointment: Appointment, now: Date = new Date()): ChangeWindow {
  if (!isUpcoming(appointment, now)) return { kind: "none" };
  const until = appointment.cancellable_until ?? appointment.start;
  return Date.parse(until) >= now.getTime()
    ? { kind: "open", until }
    : { kind: "closed", since: until };
}
