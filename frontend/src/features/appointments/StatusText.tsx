import { hasMessage, t } from "../../i18n";

export function StatusText({ status }: { status: string }) {
  const key = `status.${status}`;
  return <>{hasMessage(key) ? t(key) : status}</>;
}
