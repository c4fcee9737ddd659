import { defineConfig } from "@playwright/test";

// Runs against BASE_URL (the stack through nginx over HTTPS, self-signed). With
// E2E_PREVIEW_API set instead, serves the built app with `vite preview`, proxying /api there.
const previewApi = process.env.E2E_PREVIEW_API;
const previewPort = 16173;
const baseURL = process.env.BASE_URL ?? `http://127.0.0.1:${previewPort}`;

export default defineConfig({
  testDir: "e2e",
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1, // the machines are shared; the specs also share one backend's data
  retries: 0,
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    ignoreHTTPSErrors: true,
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    },
  },
  projects: [{ name: "desktop", use: { viewport: { width: 1280, height: 900 } } }],
  ...(previewApi && {
    webServer: {
      command: `npx vite preview --port ${previewPort} --strictPort`,
      url: baseURL,
      reuseExistingServer: true,
      env: { API_PROXY_TARGET: previewApi },
    },
  }),
});
