// Error code → words a person understands. The one mapper every screen uses.
import { hasMessage, t } from "../i18n";
import { ApiError } from "./errors";

export function errorMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return t("error.unknown");
  const key = `error.${error.code}`;
  if (hasMessage(key)) return t(key);
  if (error.status >= 500) return t("error.server_error");
  if (error.status === 404) return t("error.not_found");
  if (error.status === 401) return t("error.not_authenticated");
  if (error.status === 403) return t("error.permission_denied");
  return t("error.unknown");
}

export function isSlotTaken(error: unknown): boolean {
  return error instanceof ApiError && error.code === "slot_unavailable";
}
