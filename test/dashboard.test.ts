import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, type HeadlessBrowser, launchBrowser, noBrowser } from './support/browser.js';
import { killAll, startCli, tempDir } from './support/cli.js';

const URL_LINE = /descent: dashboard (http:\/\/127\.0\.0\.1:\d+\/)/;
const RUN = ['--iters', '300', '--eval-every', '100', '--seed', '5', '--quiet', '--port', '0'];

async function points(page: Page, id: string): Promise<number> {
  return Number(await page.getAttribute(`#${id}`, 'data-points'));
}

describe.skipIf(noBrowser !== null)(
  `the dashboard in a browser${noBrowser ? ` (skipped: ${noBrowser})` : ''}`,
  () => {
    const out = tempDir();
    let chrome: HeadlessBrowser;
    beforeAll(async () => {
      chrome = await launchBrowser();
    });
    afterAll(async () => {
      await chrome?.close();
      out.remove();
    });
    afterEach(killAll);

    it('follows a live run: loss and accuracy charts fill, the worker table lists the worker; view reopens it', async () => {
      const coordinator = startCli(['coordinator', ...RUN, '--out', out.path, '--name', 'live']);
      const [, pageUrl] = await coordinator.waitFor(URL_LINE);
      const [, wsUrl] = await coordinator.waitFor(/listening on (ws:\/\/\S+?);/);
      const page = await chrome.context.newPage();
      const failed: string[] = [];
      page.on('requestfailed', (r) => failed.push(r.url()));
      await page.goto(pageUrl);
      await page.waitForSelector('#status.waiting');

      startCli(['worker', '--connect', wsUrl, '--name', 'e2e']);
      const live = { timeout: 60_000, interval: 200 };
      await expect.poll(() => points(page, 'loss-chart'), live).toBeGreaterThan(0);
      await expect.poll(() => points(page, 'acc-chart'), live).toBeGreaterThan(0);
      await expect.poll(() => page.locator('#workers tbody tr').count(), live).toBeGreaterThan(0);
      const row = await page.textContent('#workers tbody tr');
      expect(row).toMatch(/^e2e#\d+127\.0\.0\.1:\d+(active|left)/);
      expect(await page.locator('#zoom-chart canvas').count()).toBe(1);
      await page.screenshot({ path: join(artifactsDir, 'dashboard-live.png'), fullPage: true });
      const done = await coordinator.done;
      expect(done.code, done.stderr).toBe(0);
      // Everything the page loaded came from the coordinator.
      expect(failed).toEqual([]);
      // The snapshot and the deltas after it add up to every step, none twice; the last one says it is over.
      await expect.poll(() => points(page, 'loss-chart')).toBe(300);
      await page.waitForSelector('#status.finished');

      const view = startCli(['view', join(out.path, 'live'), '--port', '0']);
      const [, viewUrl] = await view.waitFor(/at (http:\/\/127\.0\.0\.1:\d+\/)/);
      await page.goto(viewUrl);
      await page.waitForSelector('#status.finished');
      await expect.poll(() => points(page, 'loss-chart')).toBe(300);
      expect(await points(page, 'acc-chart')).toBe(3);
      expect(await page.textContent('#workers tbody tr')).toMatch(/^e2e#\d+127\.0\.0\.1:\d+left/);
      await page.screenshot({ path: join(artifactsDir, 'dashboard-view.png'), fullPage: true });
      view.child.kill('SIGINT');
      expect((await view.done).code).toBe(0);
    });
  },
);
