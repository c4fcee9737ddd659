import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";
import { apiFetch } from "./api";

// The API client captures fetch when it is created: route it to the tests' fake API.
vi.stubGlobal("fetch", apiFetch);

afterEach(() => {
  cleanup();
  localStorage.clear();
  document.cookie = "csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/";
});
