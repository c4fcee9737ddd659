import { useEffect } from "react";
import { t } from "../i18n";

/** Sets the document title so each page is announced by name. */
export function usePageTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · ${t("app.name")}` : t("app.name");
  }, [title]);
}
