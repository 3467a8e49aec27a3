// Helpers of the docs browser test: launch Debian's Chromium through playwright-core, open pages
// with every request outside 127.0.0.1 blocked and recorded, and drive the Redoc reference and
// the Swagger UI console the way a reader would.
// Known limits: selectors follow Redoc 2.5 (data-section-id) and Swagger UI 5 (opblock ids,
// live response table); a major upgrade of either may need them updated here.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Launches headless Chromium; a missing browser is an error, never a skip. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/** A browser context whose problems (blocked, failed or >= 400 requests, console errors) are recorded. */
export interface GuardedContext {
  context: BrowserContext;
  page: Page;
  problems: string[];
  /** Requests that were aborted because they left 127.0.0.1, with their headers. */
  blocked: { url: string; headers: Record<string, string> }[];
}

export async function openGuardedContext(browser: Browser, allowedHost = '127.0.0.1'): Promise<GuardedContext> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, serviceWorkers: 'block' });
  const problems: string[] = [];
  const blocked: GuardedContext['blocked'] = [];
  await context.route('**/*', async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    if (/^https?:$/.test(url.protocol) && url.hostname !== allowedHost) {
      blocked.push({ url: request.url(), headers: await request.allHeaders() });
      problems.push(`request outside ${allowedHost} blocked: ${request.method()} ${request.url()}`);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  const page = await context.newPage();
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.method()} ${r.url()} (${r.failure()?.errorText ?? 'unknown'})`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems, blocked };
}

/** Waits until our page script marked the page ready (Redoc rendered, Swagger UI loaded). */
export async function waitForDocsReady(page: Page, timeout = 45_000): Promise<void> {
  await page.waitForSelector('body[data-docs-ready]', { timeout });
  const state = await page.getAttribute('body', 'data-docs-ready');
  if (state !== 'true') throw new Error(`the docs page reported "${state}" instead of ready`);
}

/** operationIds that Redoc rendered as operation sections (with their heading), in page order. */
export async function renderedReferenceOperations(page: Page): Promise<string[]> {
  // Redoc nests `tag/<tag>/operation/<id>` around `operation/<id>`; the inner one holds the heading.
  return page.$$eval('[data-section-id^="operation/"]', (els) =>
    els.filter((e) => e.querySelector('h2')?.textContent?.trim()).map((e) => e.getAttribute('data-section-id')!.slice('operation/'.length)),
  );
}

/** Absolute URLs of every script, stylesheet, image and frame that the page's DOM refers to. */
export async function referencedResourceUrls(page: Page): Promise<string[]> {
  const refs = await page.$$eval('script[src], link[href], img[src], iframe[src]', (els) =>
    els.map((e) => e.getAttribute('src') ?? e.getAttribute('href') ?? ''),
  );
  return refs.map((ref) => new URL(ref, page.url()).href).filter((u) => !u.startsWith('data:') && !u.startsWith('blob:'));
}

/** Absolute targets of the links matching `selector`. */
export async function linkTargets(page: Page, selector: string): Promise<string[]> {
  const refs = await page.$$eval(selector, (els) => els.map((e) => e.getAttribute('href') ?? ''));
  return refs.map((ref) => new URL(ref, page.url()).href);
}

/** The server URLs offered in the console's Servers drop-down, in order. */
export async function consoleServers(page: Page): Promise<string[]> {
  await page.waitForSelector('.servers select', { timeout: 15_000 });
  return page.$$eval('.servers select option', (opts) => opts.map((o) => o.getAttribute('value') ?? ''));
}

export interface TryItResult { status: string; requestUrl: string; curl: string; body: string }

/** Opens one operation in the console, presses Execute and reads the live response shown in the page. */
export async function tryOperation(page: Page, tag: string, operationId: string): Promise<TryItResult> {
  const block = page.locator(`#operations-${tag}-${operationId}`);
  await block.locator('.opblock-summary').first().click();
  const execute = block.locator('button.execute');
  if (!(await execute.isVisible())) await block.locator('button.try-out__btn').click();
  await execute.click();
  const status = block.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({ timeout: 15_000 });
  await status.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  return {
    status: (await status.innerText()).trim(),
    requestUrl: (await block.locator('.request-url pre').first().innerText()).trim(),
    curl: (await block.locator('.curl-command').first().innerText()).trim(),
    body: (await block.locator('.live-responses-table .response-col_description pre').first().innerText()).trim(),
  };
}

/** Picks a server in the console's Servers drop-down. */
export async function chooseConsoleServer(page: Page, url: string): Promise<void> {
  await page.selectOption('.servers select', url);
}
