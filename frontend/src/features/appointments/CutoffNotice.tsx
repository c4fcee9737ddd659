import type { SalonDetail } from "../../api/types";
import { t } from "../../i18n";
import { formatMinutes } from "../../lib/duration";
import { formatDateTime } from "../../lib/time";
import type { ChangeWindow } from "./appointmentRules";

/** Until when the customer may change the appointment online, said before they try; once that
 * has passed, why the buttons are gone and what to do instead (call the salon). */
export function CutoffNotice({ window, salon }: { window: ChangeWindow; salon: SalonDetail }) {
  if (window.kind === "none") return null;
  const call = salon.phone && (
    <>
      {" "}
      <a href={`tel:${salon.phone}`}>{t("change.call", { phone: salon.phone })}</a>
    </>
  );
  if (window.kind === "open") {
    return (
      <p className="hint">
        {t("change.openUntil", { when: formatDateTime(window.until, salon.timezone) })}{" "}
        {t("policy.callAfter")}
        {call}
      </p>
    );
  }
  return (
    <p className="notice">
      {t("change.closed", {
        when: formatDateTime(window.since, salon.timezone),
        duration: formatMinutes(salon.policy.cancellation_cutoff_minutes),
      })}
      {call}
    </p>
  );
}
