import type { SalonDetail } from "../../api/types";
import { t, type MessageKey } from "../../i18n";
import { todayIn, weekday, zoneLabel } from "../../lib/time";
import { closureOn, formatClosureDays, formatIntervals, weekRows } from "./salonHours";

/** The salon's week in its own zone (today marked), and the closures of the coming weeks. */
export function OpeningHours({ salon, now = new Date() }: { salon: SalonDetail; now?: Date }) {
  const today = todayIn(salon.timezone, now);
  const closedToday = closureOn(salon.closures, today) !== undefined;
  return (
    <section aria-labelledby="hours-heading">
      <h2 id="hours-heading">{t("salon.hours")}</h2>
      <table className="hours">
        <caption>{t("hours.zone", { zone: zoneLabel(salon.timezone, now) })}</caption>
        <thead className="visually-hidden">
          <tr>
            <th scope="col">{t("hours.day")}</th>
            <th scope="col">{t("hours.open")}</th>
          </tr>
        </thead>
        <tbody>
          {weekRows(salon.opening_hours).map((day) => {
            const isToday = day.weekday === weekday(today);
            return (
              <tr
                key={day.weekday}
                className={isToday ? "today" : undefined}
                aria-current={isToday ? "date" : undefined}
              >
                <th scope="row">
                  {t(`weekday.${day.weekday}` as MessageKey)}
                  {isToday && <span className="today-label"> ({t("hours.today")})</span>}
                </th>
                <td>
                  {isToday && closedToday ? t("hours.closedToday") : formatIntervals(day.intervals)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {salon.closures.length > 0 && (
        <>
          <h3 id="closures-heading">{t("hours.closures")}</h3>
          <ul className="plain" aria-labelledby="closures-heading">
            {salon.closures.map((closure) => (
              <li key={`${closure.start_date}/${closure.end_date}`}>
                {closure.reason
                  ? t("hours.closureReason", {
                      days: formatClosureDays(closure),
                      reason: closure.reason,
                    })
                  : formatClosureDays(closure)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
