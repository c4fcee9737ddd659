// The one date/time-zone helper. Dates are "YYYY-MM-DD" strings of a calendar day in a
// named zone; instants are ISO 8601 strings with an offset, as the API sends them.

export type IsoDate = string;

const partsCache = new Map<string, Intl.DateTimeFormat>();

function formatter(
  zone: string,
  options: Intl.DateTimeFormatOptions,
  locale = "en",
): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${JSON.stringify(options)}`;
  let cached = partsCache.get(key);
  if (cached === undefined) {
    cached = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    partsCache.set(key, cached);
  }
  return cached;
}

/** The calendar day an instant falls on in a zone. */
export function dateInZone(instant: Date | string, zone: string): IsoDate {
  const parts = formatter(zone, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(new Date(instant));
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

export function todayIn(zone: string, now: Date = new Date()): IsoDate {
  return dateInZone(now, zone);
}

/** Calendar arithmetic on a day; independent of any zone's DST. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Monday = 0 … Sunday = 6, as the API numbers weekdays. */
export function weekday(date: IsoDate): number {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** "10:30" on a 24-hour clock, in the given zone. */
export function formatTime(instant: string | Date, zone: string): string {
  return formatter(zone, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(
    new Date(instant),
  );
}

/** "Tue 3 Dec" for a calendar day. */
export function formatDay(date: IsoDate, locale = "en-GB"): string {
  return formatter("UTC", { weekday: "short", day: "numeric", month: "short" }, locale).format(
    new Date(`${date}T12:00:00Z`),
  );
}

/** "Tue 3 Dec, 10:30" for an instant, in a zone. */
export function formatDateTime(instant: string, zone: string): string {
  return `${formatDay(dateInZone(instant, zone))}, ${formatTime(instant, zone)}`;
}

/** The zone's offset at an instant, e.g. "GMT+1" (winter) or "GMT+2" (summer) for Berlin. */
export function offsetName(zone: string, at: Date | string): string {
  const parts = formatter(zone, { timeZoneName: "shortOffset" }).formatToParts(new Date(at));
  return parts.find((p) => p.type === "timeZoneName")?.value ?? zone;
}

/** "Europe/Berlin (GMT+1)": the zone with its offset at that instant, so DST is visible. */
export function zoneLabel(zone: string, at: Date | string): string {
  return `${zone.replace(/_/g, " ")} (${offsetName(zone, at)})`;
}

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Whether two zones show different wall-clock times at an instant (then we convert). */
export function zonesDiffer(zoneA: string, zoneB: string, at: Date | string): boolean {
  return offsetName(zoneA, at) !== offsetName(zoneB, at);
}

/** Items grouped by the day their `start` falls on in a zone, in input order. */
export function groupByDay<T extends { start: string }>(
  items: readonly T[],
  zone: string,
): Map<IsoDate, T[]> {
  const days = new Map<IsoDate, T[]>();
  for (const item of items) {
    const day = dateInZone(item.start, zone);
    const list = days.get(day) ?? [];
    list.push(item);
    days.set(day, list);
  }
  return days;
}

/** Midnight of a calendar day in a zone, as an ISO instant (for API filters). */
export function startOfDayInstant(date: IsoDate, zone: string): string {
  return wallTimeToInstant(date, "00:00", zone);
}

/** The instant a wall-clock time ("HH:MM") on a day in a zone denotes, as ISO (UTC). */
export function wallTimeToInstant(date: IsoDate, time: string, zone: string): string {
  const wall = Date.parse(`${date}T${time}:00Z`);
  // Guess the wall time as UTC, then correct by the zone's offset there (twice: DST edges).
  let guess = wall;
  for (let i = 0; i < 2; i++) {
    const shown = Date.UTC(...dateTimeParts(new Date(guess), zone));
    guess = wall - (shown - guess);
  }
  return new Date(guess).toISOString();
}

function dateTimeParts(at: Date, zone: string): [number, number, number, number, number, number] {
  const parts = formatter(zone, {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const n = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return [n("year"), n("month") - 1, n("day"), n("hour"), n("minute"), n("second")];
}

export function isPast(instant: string, now: Date = new Date()): boolean {
  return new Date(instant).getTime() <= now.getTime();
}

/** Whole days from one calendar day to another. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The first day of the 7-day window (counted from today) that contains a day. */
export function windowStart(today: IsoDate, day: IsoDate, size = 7): IsoDate {
  const offset = Math.max(0, daysBetween(today, day));
  return addDays(today, offset - (offset % size));
}
