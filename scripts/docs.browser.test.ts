// The published docs in a real browser: the real mock serves generated/docs/ and headless Debian
// Chromium (playwright-core) reads them with every request outside 127.0.0.1 blocked. It checks
// that nothing fails or leaves the machine, that the reference lists all 35 operations, and that
// the console's try-it of GET /models reaches the mock with the demo key and shows 200.
// Screenshots go to test-output/ (git-ignored). Chromium missing is a failure, never a skip.
// Limits: it tests the docs as committed in generated/docs/ (the drift check keeps them current).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../mock/server.ts';
import {
  chooseConsoleServer, consoleServers, launchChromium, linkTargets, openGuardedContext, referencedResourceUrls,
  renderedReferenceOperations, tryOperation, waitForDocsReady,
} from './docs-browser.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outputDir = path.join(repoRoot, 'test-output');
const PRODUCTION = 'https://api.chaozcode.com/v2';
const DEMO_KEY = 'cc_test_demo_pro';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

let mock: RunningMock;
let browser: Browser;
let contractOperationIds: string[];
let contractWebhookIds: string[];

type PathItems = Record<string, Record<string, { operationId?: string }>>;
const operationIdsOf = (items: PathItems = {}) =>
  Object.values(items).flatMap((item) =>
    Object.entries(item).filter(([m]) => HTTP_METHODS.includes(m)).map(([, op]) => String(op.operationId)),
  );

beforeAll(async () => {
  await mkdir(outputDir, { recursive: true });
  mock = await startMock({ port: 0, quiet: true });
  browser = await launchChromium();
  const res = await fetch(`${mock.url}/openapi.json`);
  expect(res.status).toBe(200);
  const spec = (await res.json()) as { paths: PathItems; webhooks?: PathItems };
  contractOperationIds = operationIdsOf(spec.paths);
  contractWebhookIds = operationIdsOf(spec.webhooks);
});

afterAll(async () => {
  await browser?.close();
  await mock?.close();
});

describe('the docs served by the mock, in Chromium with the network cut off', () => {
  it('the contract the mock serves has the 35 operations the reference must list', () => {
    expect(contractOperationIds).toHaveLength(35);
    expect(new Set(contractOperationIds).size).toBe(35);
  });

  it('opens /docs, follows its link to the reference and finds every operation there', async () => {
    const { context, page, problems } = await openGuardedContext(browser);
    try {
      await page.goto(`${mock.url}/docs`);
      expect(await page.title()).toMatch(/documentation/);
      const links = await linkTargets(page, 'a.card');
      expect(links).toEqual([`${mock.url}/docs/reference.html`, `${mock.url}/docs/console.html`, `${mock.url}/docs/openapi.json`]);
      await page.screenshot({ path: path.join(outputDir, 'docs-landing.png') });

      await page.click('#link-reference');
      await waitForDocsReady(page);
      expect(page.url()).toBe(`${mock.url}/docs/reference.html`);
      const rendered = await renderedReferenceOperations(page);
      expect(new Set(rendered).size).toBe(rendered.length);
      expect(contractOperationIds.filter((id) => !rendered.includes(id))).toEqual([]);
      // Redoc renders the webhook events as operations too; nothing else may appear.
      expect([...rendered].sort()).toEqual([...contractOperationIds, ...contractWebhookIds].sort());
      expect(await page.locator('[id="section/Rate-limits/A-worked-example"]').count()).toBe(1);

      await page.screenshot({ path: path.join(outputDir, 'docs-reference.png') });
      await page.locator('[data-section-id="operation/createQuery"]').evaluate((e) => e.scrollIntoView());
      await page.evaluate('window.scrollBy(0, -56)'); // the fixed top bar covers the heading otherwise
      await page.screenshot({ path: path.join(outputDir, 'docs-reference-operation.png') });
      const resources = await referencedResourceUrls(page);
      expect(resources.length).toBeGreaterThan(0);
      const foreignResources = resources.filter((u) => !u.startsWith(`${mock.url}/`));
      expect({ problems, foreignResources }).toEqual({ problems: [], foreignResources: [] });
    } finally {
      await context.close();
    }
  }, 90_000);

  it('the console tries GET /models on the mock with the demo key and shows 200', async () => {
    const { context, page, problems } = await openGuardedContext(browser);
    try {
      await page.goto(`${mock.url}/docs/console.html`);
      await waitForDocsReady(page);
      const servers = await consoleServers(page);
      expect(servers[0]).toBe(mock.baseUrl);
      expect(servers).toContain(PRODUCTION);
      expect(await page.locator('.swagger-ui .errors-wrapper').count(), 'Swagger UI shows an error box').toBe(0);
      await page.screenshot({ path: path.join(outputDir, 'docs-console-top.png') });

      const result = await tryOperation(page, 'query', 'listModels');
      expect(result.status).toBe('200');
      expect(result.requestUrl).toBe(`${mock.baseUrl}/models`);
      expect(result.curl).toContain(`Authorization: Bearer ${DEMO_KEY}`);
      const body = JSON.parse(result.body) as { models: { id: string }[] };
      expect(body.models.length).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(outputDir, 'docs-console.png') });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('the console sends no demo key to production, and the test blocks that request', async () => {
    const { context, page, blocked } = await openGuardedContext(browser);
    try {
      await page.goto(`${mock.url}/docs/console.html`);
      await waitForDocsReady(page);
      await chooseConsoleServer(page, PRODUCTION);
      const block = page.locator('#operations-query-listModels');
      await block.locator('.opblock-summary').first().click();
      await block.locator('button.execute').click();
      await expect.poll(() => blocked.length, { timeout: 15_000 }).toBeGreaterThan(0);
      expect(blocked[0]!.url).toBe(`${PRODUCTION}/models`);
      expect(Object.keys(blocked[0]!.headers).map((h) => h.toLowerCase())).not.toContain('authorization');
    } finally {
      await context.close();
    }
  }, 90_000);
});
