// Measures what a first visit downloads and, given a URL, what Lighthouse scores a page.
// Prints the figures; exits 1 when a budget is missed. Not a timed test.
//   node scripts/budget.mjs                      bundle sizes of dist/
//   LIGHTHOUSE_URL=https://…/salons/<id> node scripts/budget.mjs   + Lighthouse (CHROME_PATH)
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const DIST = "dist";
const BUDGET_INITIAL_JS_KB = 150;
const LIGHTHOUSE_BUDGETS = { performance: 90, accessibility: 95, "best-practices": 95 };

const kb = (bytes) => bytes / 1024;
const gzipped = (file) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;

/** The scripts, preloads and styles index.html makes the browser fetch before first paint. */
function initialAssets() {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  return [...new Set(refs)];
}

function bundleReport() {
  const initial = initialAssets();
  const initialJs = initial.filter((f) => f.endsWith(".js"));
  const allJs = readdirSync(join(DIST, "assets"))
    .filter((f) => f.endsWith(".js"))
    .map((f) => `assets/${f}`);
  console.log("chunk                                   gzip KB  initial");
  for (const file of allJs.sort()) {
    console.log(
      `${file.padEnd(40)}${kb(gzipped(file)).toFixed(1).padStart(7)}  ${initialJs.includes(file) ? "yes" : "lazy"}`,
    );
  }
  const css = initial.filter((f) => f.endsWith(".css")).reduce((sum, f) => sum + gzipped(f), 0);
  const js = initialJs.reduce((sum, f) => sum + gzipped(f), 0);
  console.log(
    `initial JS: ${kb(js).toFixed(1)} KB gzipped (budget ${BUDGET_INITIAL_JS_KB} KB); initial CSS: ${kb(css).toFixed(1)} KB`,
  );
  return kb(js) <= BUDGET_INITIAL_JS_KB;
}

function lighthouseReport(url) {
  const chrome = process.env.CHROME_PATH ?? "/usr/bin/chromium";
  const out = join(mkdtempSync(join(tmpdir(), "lh-")), "report.json");
  execFileSync(
    "npx",
    [
      "lighthouse",
      url,
      "--quiet",
      "--output=json",
      `--output-path=${out}`,
      "--only-categories=performance,accessibility,best-practices",
      `--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking --ignore-certificate-errors`,
    ],
    { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, CHROME_PATH: chrome } },
  );
  const report = JSON.parse(readFileSync(out, "utf8"));
  let ok = true;
  for (const [category, minimum] of Object.entries(LIGHTHOUSE_BUDGETS)) {
    const score = Math.round((report.categories[category]?.score ?? 0) * 100);
    ok &&= score >= minimum;
    console.log(`lighthouse ${category}: ${score} (budget ≥ ${minimum})`);
  }
  for (const id of [
    "first-contentful-paint",
    "largest-contentful-paint",
    "total-blocking-time",
    "cumulative-layout-shift",
  ]) {
    console.log(`  ${id}: ${report.audits[id]?.displayValue ?? "n/a"}`);
  }
  return ok;
}

let ok = bundleReport();
if (process.env.LIGHTHOUSE_URL) ok = lighthouseReport(process.env.LIGHTHOUSE_URL) && ok;
process.exit(ok ? 0 : 1);
