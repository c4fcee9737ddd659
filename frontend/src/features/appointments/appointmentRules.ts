import type { Appointment } from "../../api/types";
import { isPast } from "../../lib/time";

/** Upcoming: confirmed and not yet started, soonest first. Everything else, newest first. */
export function splitAppointments(
  appointments: readonly Appointment[],
  now: Date = new Date(),
): { upcoming: Appointment[]; past: Appointment[] } {
  const upcoming = appointments.filter((a) => isChangeable(a, now));
  const past = appointments.filter((a) => !isChangeable(a, now));
  upcoming.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  past.sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
  return { upcoming, past };
}

/** Only confirmed appointments in the future can be rescheduled or cancelled. */
export function isChangeable(appointment: Appointment, now: Date = new Date()): boolean {
  return appointment.status === "confirmed" && !isPast(appointment.start, now);
}
