// django-allauth's headless API, "browser" client: the session cookie + CSRF (see
// docs/accounts.md). Its answers say where a flow stands; this turns them into outcomes.
import { api, settle, unwrap, type FetchResult } from "./client";
import { apiErrorFrom } from "./errors";
import type { components } from "./schema.gen";

type Schemas = components["schemas"];
export type AccountUser = Schemas["AllauthUser"];
export type EmailAddress = Schemas["AllauthEmailAddress"];
export type SignUpInput = Schemas["AllauthSignup"];

export interface Credentials {
  email: string;
  password: string;
}

/** Where an authentication step left the person. */
export type AuthOutcome =
  | { status: "signedIn"; user: AccountUser }
  | { status: "verifyEmail" } // signed up or signed in with an address not yet confirmed
  | { status: "signedOut" };

const browser = { path: { client: "browser" as const } };

function pendingFlows(body: unknown): string[] {
  const flows = (body as { data?: { flows?: { id: string; is_pending?: boolean }[] } } | null)?.data
    ?.flows;
  return (flows ?? []).filter((flow) => flow.is_pending).map((flow) => flow.id);
}

/** 200: signed in; 401: not (yet), with the pending flow saying why; else an ApiError. */
async function outcomeOf(call: Promise<FetchResult<unknown>>): Promise<AuthOutcome> {
  const { data, error, response } = await settle(call);
  if (response.ok) {
    return { status: "signedIn", user: (data as { data: { user: AccountUser } }).data.user };
  }
  if (response.status === 401 || response.status === 410) {
    return pendingFlows(error).includes("verify_email")
      ? { status: "verifyEmail" }
      : { status: "signedOut" };
  }
  throw apiErrorFrom(response.status, error);
}

export function fetchSession(): Promise<AuthOutcome> {
  return outcomeOf(api.GET("/api/_allauth/{client}/v1/auth/session", { params: browser }));
}

export function signIn(credentials: Credentials): Promise<AuthOutcome> {
  return outcomeOf(
    api.POST("/api/_allauth/{client}/v1/auth/login", { params: browser, body: credentials }),
  );
}

export function signUp(input: SignUpInput): Promise<AuthOutcome> {
  return outcomeOf(
    api.POST("/api/_allauth/{client}/v1/auth/signup", { params: browser, body: input }),
  );
}

/** Ends the session on the server (allauth answers 401: "now signed out"). */
export async function signOut(): Promise<void> {
  await outcomeOf(api.DELETE("/api/_allauth/{client}/v1/auth/session", { params: browser }));
}

export function verifyEmail(key: string): Promise<AuthOutcome> {
  return outcomeOf(
    api.POST("/api/_allauth/{client}/v1/auth/email/verify", { params: browser, body: { key } }),
  );
}

export async function requestPasswordReset(email: string): Promise<void> {
  await unwrap(
    api.POST("/api/_allauth/{client}/v1/auth/password/request", {
      params: browser,
      body: { email },
    }),
  );
}

/** Whether a reset key still works (400 invalid_password_reset when not). */
export async function checkResetKey(key: string): Promise<void> {
  await unwrap(
    api.GET("/api/_allauth/{client}/v1/auth/password/reset", {
      params: { ...browser, header: { "X-Password-Reset-Key": key } },
    }),
  );
}

/** Sets the new password; allauth then either signs in or (our setting) asks to sign in. */
export function resetPassword(key: string, password: string): Promise<AuthOutcome> {
  return outcomeOf(
    api.POST("/api/_allauth/{client}/v1/auth/password/reset", {
      params: browser,
      body: { key, password },
    }),
  );
}

export async function changePassword(input: {
  current_password: string;
  new_password: string;
}): Promise<void> {
  const { error, response } = await settle(
    api.POST("/api/_allauth/{client}/v1/account/password/change", {
      params: browser,
      body: input,
    }),
  );
  // 401 would mean the change also ended the session: still a changed password.
  if (!response.ok && response.status !== 401) throw apiErrorFrom(response.status, error);
}

export async function emailAddresses(): Promise<EmailAddress[]> {
  const body = await unwrap(
    api.GET("/api/_allauth/{client}/v1/account/email", { params: browser }),
  );
  return body.data;
}

/** Adds an address and mails it a link; once followed it replaces the current one. */
export async function changeEmail(email: string): Promise<EmailAddress[]> {
  const body = await unwrap(
    api.POST("/api/_allauth/{client}/v1/account/email", { params: browser, body: { email } }),
  );
  return body.data;
}
