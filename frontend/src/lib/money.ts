import { locale } from "../i18n";

/** "€45.00" from the API's decimal string and ISO 4217 code; never through float arithmetic
 * beyond display (Intl needs a number; two decimals survive that exactly). */
export function formatPrice(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat(locale(), { style: "currency", currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}
