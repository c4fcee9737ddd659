// A small typed translation layer: t("key", {param}) from the active catalogue.
import { en, type Catalogue, type MessageKey } from "./en";

const catalogues: Record<string, Catalogue> = { en };

let active: Catalogue = en;
let activeLocale = "en";

export function setLocale(locale: string): void {
  const base = locale.split("-")[0] ?? "en";
  active = catalogues[base] ?? en;
  activeLocale = catalogues[base] ? base : "en";
}

export function locale(): string {
  return activeLocale;
}

export function hasMessage(key: string): key is MessageKey {
  return key in active;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return active[key].replace(/\{(\w+)\}/g, (match, name: string) =>
    name in params ? String(params[name]) : match,
  );
}

export type { MessageKey };
