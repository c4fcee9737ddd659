import { readFileSync } from "node:fs";
import { expect, type APIRequestContext } from "@playwright/test";

// The stack's mail sink keeps every e-mail it accepts as one JSON line (deploy/stack/sinks.py);
// tests/system/test_09_web_app.py names the file. Account specs follow the mailed links.
interface Mail {
  to: string[];
  subject: string;
  body?: string;
  at: number;
}

function sinkFile(): string {
  const file = process.env.MAIL_SINK_FILE;
  if (!file) throw new Error("MAIL_SINK_FILE is not set: the stack's mail sink (email.jsonl)");
  return file;
}

function mails(): Mail[] {
  let text: string;
  try {
    text = readFileSync(sinkFile(), "utf8");
  } catch {
    return []; // nothing sent yet
  }
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Mail);
}

export type AccountLink = "verify-email" | "password/reset/key";

/**
 * The path of the newest `kind` link mailed to `email` after `since` (seconds, as the sink
 * writes them), waiting for the outbox to send it: e.g. "/account/verify-email/<key>".
 */
export async function mailedLink(email: string, kind: AccountLink, since: number): Promise<string> {
  const pattern = new RegExp(`https?://[^/\\s]+(/account/${kind}/[^\\s]+)`);
  let found: string | undefined;
  await expect
    .poll(
      () => {
        const match = mails()
          .filter((mail) => mail.to.includes(email) && mail.at >= since)
          .map((mail) => pattern.exec(mail.body ?? "")?.[1])
          .filter((path): path is string => path !== undefined)
          .at(-1);
        found = match;
        return match !== undefined;
      },
      { message: `a ${kind} link mailed to ${email}`, timeout: 30_000 },
    )
    .toBe(true);
  return found ?? "";
}

/** Now, in the mail sink's clock (seconds). */
export function mailClock(): number {
  return Date.now() / 1000 - 1; // a second's slack: the sink's clock is this machine's
}

export const NEW_PASSWORD = "violet-harbour-lantern-42";

/**
 * A new customer with a confirmed address, made through allauth's "app" client (no browser,
 * no CSRF): sign up, follow the mailed link. Returns the e-mail; the password is `password`.
 */
export async function confirmedCustomer(
  request: APIRequestContext,
  tag: string,
  password: string,
): Promise<string> {
  const email = `e2e-${tag}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const since = mailClock();
  const signup = await request.post("/api/_allauth/app/v1/auth/signup", {
    data: { email, password, first_name: "E2e", last_name: tag },
  });
  expect(signup.status(), await signup.text()).toBe(401); // "verify your e-mail" pending
  const link = await mailedLink(email, "verify-email", since);
  const key = decodeURIComponent(link.split("/").at(-1) ?? "");
  const verified = await request.post("/api/_allauth/app/v1/auth/email/verify", {
    data: { key },
  });
  expect([200, 401], await verified.text()).toContain(verified.status());
  return email;
}
