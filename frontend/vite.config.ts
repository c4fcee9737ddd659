/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// Where /api goes during `vite dev` / `vite preview` (the stack's nginx in e2e runs).
const apiTarget = process.env.API_PROXY_TARGET ?? "http://127.0.0.1:8000";
const proxy = {
  "/api": { target: apiTarget, changeOrigin: true, secure: false },
};

// The policy the built app runs under (what nginx / Django must send); `vite preview` sends it
// too, so the browser tests fail if anything needs more (see frontend/README.md).
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export default defineConfig({
  plugins: [react()],
  base: "/",
  build: {
    // No inline scripts or styles anywhere, so a strict CSP (script-src 'self') works.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: { proxy },
  preview: { proxy, headers: { "Content-Security-Policy": contentSecurityPolicy } },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    // The viewer's zone is the salon's unless a test says otherwise: labels stay exact.
    env: { TZ: "Europe/Berlin" },
  },
});
