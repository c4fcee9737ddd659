// The account area's routes. The e-mail links use the same paths (the backend's
// HEADLESS_FRONTEND_URLS in config/settings/accounts.py): keep the two in step.

export const accountPaths = {
  signIn: "/account/sign-in",
  register: "/account/signup",
  /** The old path of the sign-up page; it redirects, so older links keep working. */
  registerAlias: "/account/register",
  verifyEmail: "/account/verify-email/:key",
  forgotPassword: "/account/password/reset",
  resetPassword: "/account/password/reset/key/:key",
  profile: "/account/profile",
} as const;

export function signInPath(next: string): string {
  return `${accountPaths.signIn}?next=${encodeURIComponent(next)}`;
}

export function registerPath(next: string): string {
  return `${accountPaths.register}?next=${encodeURIComponent(next)}`;
}
