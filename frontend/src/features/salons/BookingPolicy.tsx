import type { SalonDetail } from "../../api/types";
import { t } from "../../i18n";
import { formatMinutes } from "../../lib/duration";

/** What the salon asks of bookings, before anyone books: notice, how far ahead, the cutoff. */
export function BookingPolicy({ salon }: { salon: SalonDetail }) {
  const { min_notice_minutes, horizon_days, cancellation_cutoff_minutes } = salon.policy;
  return (
    <section aria-labelledby="policy-heading">
      <h2 id="policy-heading">{t("policy.heading")}</h2>
      <dl className="facts">
        <dt>{t("policy.notice")}</dt>
        <dd>{min_notice_minutes > 0 ? formatMinutes(min_notice_minutes) : t("policy.noNotice")}</dd>
        <dt>{t("policy.horizon")}</dt>
        <dd>{t("policy.horizonValue", { days: horizon_days })}</dd>
        <dt>{t("policy.changes")}</dt>
        <dd>
          {cancellation_cutoff_minutes > 0
            ? t("policy.changesValue", { duration: formatMinutes(cancellation_cutoff_minutes) })
            : t("policy.changesUntilStart")}
        </dd>
      </dl>
      <p className="hint">
        {t("policy.callAfter")}
        {salon.phone && (
          <>
            {" "}
            <a href={`tel:${salon.phone}`}>{t("change.call", { phone: salon.phone })}</a>
          </>
        )}
      </p>
    </section>
  );
}
