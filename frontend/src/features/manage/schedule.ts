import type { SalonAppointment } from "../../api/types";
import { addDays, startOfDayInstant, weekday, type IsoDate } from "../../lib/time";

export type ScheduleRange = "today" | "week";

/** Today, or Monday to Sunday of this week, as instants bounding the salon's days. */
export function rangeBounds(
  range: ScheduleRange,
  today: IsoDate,
  zone: string,
): { startAfter: string; startBefore: string } {
  const first = range === "today" ? today : addDays(today, -weekday(today));
  const days = range === "today" ? 1 : 7;
  return {
    startAfter: startOfDayInstant(first, zone),
    startBefore: startOfDayInstant(addDays(first, days), zone),
  };
}

/** Appointments per staff member (by name), each list in time order. */
export function byStaff(appointments: readonly SalonAppointment[]): [string, SalonAppointment[]][] {
  const groups = new Map<string, SalonAppointment[]>();
  for (const appointment of [...appointments].sort(
    (a, b) => Date.parse(a.start) - Date.parse(b.start),
  )) {
    const list = groups.get(appointment.staff_name) ?? [];
    list.push(appointment);
    groups.set(appointment.staff_name, list);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}
