// End-to-end: static deployment without headers (GitHub Pages style) becomes isolated through
// the service worker, and a lab opened once works offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDir } from '../serve.mjs';
import { launch, watch, DIST } from './helpers.mjs';

let plain, browser;
before(async () => {
  plain = await serveDir(DIST, { headers: {} }); // no COOP/COEP at all
  browser = await launch();
});
after(async () => {
  await browser?.close();
  plain?.server.close();
});

test('a host without headers gets threads mode after one reload, then works offline', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = watch(page, [plain.url]);
  await page.goto(`${plain.url}/#/serial?size=small&reps=1`);
  // The service worker installs, the page reloads once and comes back isolated.
  await page.waitForFunction(() => window.crossOriginIsolated === true, null, { timeout: 30_000 });
  const env = page.getByTestId('env');
  await env.waitFor();
  assert.equal(await env.getAttribute('data-mode'), 'threads');
  await page.locator('[data-testid="env"][data-ready="ready"]').waitFor();
  await context.setOffline(true);
  await page.reload();
  await page.locator('[data-testid="env"][data-ready="ready"]').waitFor({ timeout: 30_000 });
  await page.getByTestId('run').click();
  await page.locator('[data-testid="run-state"][data-state="done"]').waitFor({ timeout: 60_000 });
  assert.deepEqual(problems.foreign, []);
  await context.close();
});

test('sw=0 leaves a header-less host in workers mode, honestly', async () => {
  const page = await browser.newPage();
  await page.goto(`${plain.url}/#/serial?sw=0`);
  const env = page.getByTestId('env');
  await env.waitFor();
  assert.equal(await env.getAttribute('data-mode'), 'workers');
  assert.match(await env.textContent(), /COOP\/COEP/);
  await page.close();
});
