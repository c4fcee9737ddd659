import { expect, test as base } from "@playwright/test";

/**
 * Every spec's page fails its test on a Content-Security-Policy violation or an uncaught
 * error: the app must run under the strict policy nginx sends.
 */
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      context.on("console", (message) => {
        if (
          message.type() === "error" &&
          /Content Security Policy|Refused to/i.test(message.text())
        )
          errors.push(message.text());
      });
      context.on("weberror", (error) => errors.push(error.error().message));
      await use(errors);
      expect(errors, "CSP violations or uncaught errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
