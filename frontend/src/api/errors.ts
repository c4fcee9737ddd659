// Our API's errors arrive as {"error": {"code", "message", "details"}}; allauth's (account
// flows) as {"status", "errors": [{"code", "message", "param"}]}. Both (and a network
// failure) become one typed ApiError that screens map to words via errorMessage().
import { hasMessage, t } from "../i18n";

export type ErrorDetails = Record<string, unknown>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails;
  /** Field name → allauth's error code for it, so the field's message can be translated. */
  readonly fieldCodes: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    details: ErrorDetails = {},
    fieldCodes: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.fieldCodes = fieldCodes;
  }
}

/** Status 0: the request never got an answer. */
export const NETWORK_ERROR = "network_error";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// allauth names a field for these, but they are about the whole attempt (say it once, above).
const FORM_LEVEL_CODES = new Set([
  "email_password_mismatch",
  "too_many_login_attempts",
  "invalid_or_expired_key",
  "invalid_password_reset",
  "rate_limited",
]);

function fromAllauth(status: number, errors: unknown[]): ApiError {
  const items = errors.filter(isRecord);
  const details: ErrorDetails = {};
  const fieldCodes: Record<string, string> = {};
  let formCode: string | null = null;
  for (const item of items) {
    const code = typeof item.code === "string" ? item.code : "invalid";
    const param = typeof item.param === "string" ? item.param : null;
    if (param === null || FORM_LEVEL_CODES.has(code)) {
      formCode ??= code;
    } else if (!(param in details)) {
      details[param] = [typeof item.message === "string" ? item.message : code];
      fieldCodes[param] = code;
    }
  }
  const code = status === 429 ? "throttled" : (formCode ?? (items.length ? "invalid" : "error"));
  return new ApiError(status, code, code, details, fieldCodes);
}

export function apiErrorFrom(status: number, body: unknown): ApiError {
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.code === "string") {
    const message = typeof error.message === "string" ? error.message : error.code;
    const details = isRecord(error.details) ? error.details : {};
    return new ApiError(status, error.code, message, details);
  }
  if (isRecord(body) && typeof body.status === "number") {
    return fromAllauth(status, Array.isArray(body.errors) ? body.errors : []);
  }
  return new ApiError(status, status >= 500 ? "server_error" : "error", `HTTP ${status}`);
}

/** Field name → first message: our words for allauth's codes, else the server's message. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const fields: Record<string, string> = {};
  for (const [field, value] of Object.entries(error.details)) {
    const code = error.fieldCodes[field];
    const key = `field.${code ?? ""}`;
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (code !== undefined && hasMessage(key)) fields[field] = t(key);
    else if (typeof first === "string") fields[field] = first;
  }
  return fields;
}
