// Every API error arrives as {"error": {"code", "message", "details"}}; this turns it (or a
// network failure) into one typed ApiError that screens map to words via errorMessage().

export type ErrorDetails = Record<string, unknown>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails;

  constructor(status: number, code: string, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Status 0: the request never got an answer. */
export const NETWORK_ERROR = "network_error";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function apiErrorFrom(status: number, body: unknown): ApiError {
  const error = isRecord(body) ? body.error : undefined;
  if (isRecord(error) && typeof error.code === "string") {
    const message = typeof error.message === "string" ? error.message : error.code;
    const details = isRecord(error.details) ? error.details : {};
    return new ApiError(status, error.code, message, details);
  }
  return new ApiError(status, status >= 500 ? "server_error" : "error", `HTTP ${status}`);
}

/** Field name → first message, from a validation error's details (DRF's {field: [msg]}). */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const fields: Record<string, string> = {};
  for (const [field, value] of Object.entries(error.details)) {
    const first: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") fields[field] = first;
  }
  return fields;
}
