import { hasMessage, t } from "../../i18n";

/** An appointment's status in words; "cancelled by you" to the customer, not to the salon. */
export function StatusText({
  status,
  viewer = "customer",
}: {
  status: string;
  viewer?: "customer" | "salon";
}) {
  const salonKey = `statusForSalon.${status}`;
  const key = viewer === "salon" && hasMessage(salonKey) ? salonKey : `status.${status}`;
  return <>{hasMessage(key) ? t(key) : status}</>;
}
