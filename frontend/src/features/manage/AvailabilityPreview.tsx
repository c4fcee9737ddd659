import { useId, useState } from "react";
import { useAvailability, useSalon } from "../../api/queries";
import { ErrorNotice, Loading } from "../../components/Notice";
import { t } from "../../i18n";
import { addDays, formatDay, formatTime, groupByDay, todayIn } from "../../lib/time";

const PREVIEW_DAYS = 7;
const TIMES_SHOWN = 6;

/** What customers see right now: free times per day for a service, refreshed on every save. */
export function AvailabilityPreview({ salonId, timezone }: { salonId: string; timezone: string }) {
  const salon = useSalon(salonId);
  const services = salon.data?.services ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const serviceId = chosen ?? services[0]?.id ?? null;
  const from = todayIn(timezone);
  const to = addDays(from, PREVIEW_DAYS - 1);
  const availability = useAvailability(
    serviceId ? { salonId, serviceId, staffId: null, from, to } : null,
  );
  const selectId = useId();
  const byDay = groupByDay(availability.data?.slots ?? [], timezone);
  return (
    <aside aria-labelledby="preview-heading" className="panel preview">
      <h2 id="preview-heading">{t("manage.preview")}</h2>
      <p className="hint">{t("manage.previewHint")}</p>
      <label htmlFor={selectId}>{t("search.service")}</label>
      <select
        id={selectId}
        value={serviceId ?? ""}
        onChange={(e) => {
          setChosen(e.target.value);
        }}
      >
        {services.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      {(salon.isPending || availability.isFetching) && <Loading />}
      <ErrorNotice error={salon.error ?? availability.error} />
      <ul className="plain" aria-live="polite">
        {Array.from({ length: PREVIEW_DAYS }, (_, i) => addDays(from, i)).map((day) => {
          const slots = byDay.get(day) ?? [];
          return (
            <li key={day}>
              <strong>
                {t("manage.previewCount", { day: formatDay(day), count: slots.length })}
              </strong>
              {slots.length > 0 && (
                <span className="hint">
                  {" "}
                  {slots
                    .slice(0, TIMES_SHOWN)
                    .map((s) => formatTime(s.start, timezone))
                    .join(", ")}
                  {slots.length > TIMES_SHOWN ? " …" : ""}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
