// The account area's routes. Sign in / register / sign out work on the API's JWT endpoints
// today. The e-mail verification and password flows (verify, forgot, reset, change) arrive
// with django-allauth's headless API in issue 16: each becomes one entry here, built on
// `/_allauth/browser/v1/...`, and appears in the UI only once the server offers it — so no
// page links to a flow that does not exist yet.

export const accountPaths = {
  signIn: "/account/sign-in",
  register: "/account/register",
  profile: "/account/profile",
} as const;

/** Flows issue 16 adds; each gets a path here and a page when the server offers it. */
export type PendingAccountFlow =
  "verifyEmail" | "forgotPassword" | "resetPassword" | "changePassword";

export function signInPath(next: string): string {
  return `${accountPaths.signIn}?next=${encodeURIComponent(next)}`;
}
