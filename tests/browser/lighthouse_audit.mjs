// Lighthouse's accessibility category on a list of pages, all in one running Chromium.
// Snapshot mode (the page as loaded, no navigation-timing waits): about a second a page instead
// of the twenty that a navigation run spends waiting for the network and CPU to go quiet.
// Input (stdin, JSON): {"chromePort": 9222, "pages": [{"url", "width", "cookie"?}]}
// Output (stdout, JSON): [{"url", "width", "score", "failures": ["audit-id: title", …]}]
import { snapshot } from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import puppeteer from "puppeteer-core";

const input = JSON.parse(await new Promise((resolve) => {
  let text = "";
  process.stdin.on("data", (chunk) => { text += chunk; });
  process.stdin.on("end", () => resolve(text));
}));

const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${input.chromePort}` });
const results = [];
for (const item of input.pages) {
  const mobile = item.width < 600;
  const page = await browser.newPage();
  await page.setViewport({ width: item.width, height: mobile ? 844 : 900, isMobile: mobile, hasTouch: mobile });
  if (item.cookie) await page.setExtraHTTPHeaders({ Cookie: item.cookie });
  await page.goto(item.url, { waitUntil: "load" });
  const settings = {
    ...(mobile ? {} : desktopConfig.settings),
    onlyCategories: ["accessibility"],
    formFactor: mobile ? "mobile" : "desktop",
    // Keep the viewport set above.
    screenEmulation: { disabled: true },
  };
  const flow = await snapshot(page, { config: { extends: "lighthouse:default", settings } });
  const lhr = flow.lhr;
  const failures = Object.values(lhr.audits)
    .filter((audit) => audit.scoreDisplayMode === "binary" && audit.score !== null && audit.score < 1)
    .map((audit) => `${audit.id}: ${audit.title}`);
  results.push({
    url: item.url,
    width: item.width,
    score: lhr.categories.accessibility.score,
    failures,
    error: lhr.runtimeError ? lhr.runtimeError.message : null,
  });
  await page.close();
}
await browser.disconnect();
process.stdout.write(JSON.stringify(results));
