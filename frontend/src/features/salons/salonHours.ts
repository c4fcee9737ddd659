// The salon page's week of opening hours and coming closures, as the API gives them: wall-clock
// times and calendar days in the salon's own time zone (never converted: a salon opens at 09:00
// there whatever the reader's zone).
import type { SalonDetail } from "../../api/types";
import { t } from "../../i18n";
import { formatDay, type IsoDate } from "../../lib/time";

export type Closure = SalonDetail["closures"][number];

export interface Interval {
  opens: string;
  closes: string;
}

export interface DayHours {
  weekday: number; // Monday = 0 … Sunday = 6
  intervals: Interval[];
}

/** "09:00" from the API's "09:00:00" (or "09:00"). */
export function clock(time: string): string {
  return time.slice(0, 5);
}

/** Monday to Sunday, each with its intervals in opening order (none: closed that day). */
export function weekRows(hours: SalonDetail["opening_hours"]): DayHours[] {
  return Array.from({ length: 7 }, (_, weekday) => ({
    weekday,
    intervals: hours
      .filter((h) => h.weekday === weekday)
      .map((h) => ({ opens: clock(h.opens), closes: clock(h.closes) }))
      .sort((a, b) => a.opens.localeCompare(b.opens)),
  }));
}

/** "09:00–12:00, 14:00–18:30", or "Closed". */
export function formatIntervals(intervals: readonly Interval[]): string {
  if (intervals.length === 0) return t("hours.closed");
  return intervals.map((i) => `${i.opens}–${i.closes}`).join(", ");
}

/** The closure covering a day, if any (days are inclusive on both ends). */
export function closureOn(closures: readonly Closure[], day: IsoDate): Closure | undefined {
  return closures.find((c) => c.start_date <= day && day <= c.end_date);
}

/** "Mon 9 Mar" for one day, "Mon 9 Mar – Wed 11 Mar" for several. */
export function formatClosureDays(closure: Closure): string {
  const first = formatDay(closure.start_date);
  return closure.end_date === closure.start_date
    ? first
    : `${first} – ${formatDay(closure.end_date)}`;
}
