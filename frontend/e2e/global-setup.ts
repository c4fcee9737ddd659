import { request, type FullConfig } from "@playwright/test";
import { bookTheNextSlot } from "./started";

/** Before any spec: the booking that must have started by the time its spec runs. */
export default async function globalSetup(config: FullConfig): Promise<void> {
  const { baseURL, ignoreHTTPSErrors } = config.projects[0]?.use ?? {};
  const context = await request.newContext({ baseURL, ignoreHTTPSErrors });
  try {
    await bookTheNextSlot(context);
  } finally {
    await context.dispose();
  }
}
