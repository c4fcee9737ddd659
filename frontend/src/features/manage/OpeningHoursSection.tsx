import { ErrorNotice, Loading } from "../../components/Notice";
import { t } from "../../i18n";
import { useOpeningHours, useReplaceOpeningHours } from "./queries";
import { WeeklyHoursEditor, hhmm } from "./WeeklyHoursEditor";

export function OpeningHoursSection({ salonId }: { salonId: string }) {
  const hours = useOpeningHours(salonId);
  const replace = useReplaceOpeningHours(salonId);
  return (
    <section aria-labelledby="hours-heading" className="panel">
      <h2 id="hours-heading">{t("manage.hours")}</h2>
      {hours.isPending && <Loading />}
      <ErrorNotice error={hours.error} />
      {hours.data && (
        <WeeklyHoursEditor
          key={JSON.stringify(hours.data)}
          intervals={hours.data.map((h) => ({
            weekday: h.weekday,
            start: hhmm(h.opens),
            end: hhmm(h.closes),
          }))}
          saving={replace.isPending}
          saved={replace.isSuccess}
          error={replace.error}
          onSave={(intervals) => {
            replace.mutate(
              intervals.map((i) => ({ weekday: i.weekday, opens: i.start, closes: i.end })),
            );
          }}
        />
      )}
    </section>
  );
}
