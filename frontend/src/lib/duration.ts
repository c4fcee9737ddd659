import { t, type MessageKey } from "../i18n";

const DAY = 24 * 60;

function count(n: number, one: MessageKey, other: MessageKey): string {
  return n === 1 ? t(one) : t(other, { count: n });
}

const days = (n: number) => count(n, "duration.day", "duration.days");
const hours = (n: number) => count(n, "duration.hour", "duration.hours");
const minutes = (n: number) => count(n, "duration.minute", "duration.minutes");

/** A policy's minutes as people say them: "2 days", "36 hours", "1 hour 30 minutes", "45 minutes". */
export function formatMinutes(total: number): string {
  if (total > 0 && total % DAY === 0) return days(total / DAY);
  if (total % 60 === 0 && total > 0) return hours(total / 60);
  if (total < 60) return minutes(total);
  return `${hours(Math.floor(total / 60))} ${minutes(total % 60)}`;
}
