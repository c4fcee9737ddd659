import type { ReactNode } from "react";
import { errorMessage } from "../api/errorMessage";
import { t } from "../i18n";

/** An error in words, announced when it appears. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="notice notice-error">
      {errorMessage(error)}
    </p>
  );
}

/** A polite status message (saved, booked, cancelled). */
export function StatusNotice({ children }: { children: ReactNode }) {
  return (
    <p role="status" className="notice notice-ok">
      {children}
    </p>
  );
}

export function Loading() {
  return (
    <p className="loading" role="status">
      {t("common.loading")}
    </p>
  );
}
