// End-to-end: what `./run` serves is what gets deployed (dist/ without dev scripts, the
// headers of dist/_headers); static deployment without headers (GitHub Pages style) becomes
// isolated through the service worker, and a lab opened once works offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveDir, parseHeaders, headersFor } from '../serve.mjs';
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

test('dist/ holds no dev-server script: no Trunk live reload, no {{__trunk_address__}}', () => {
  for (const page of ['index.html', 'embed.html']) {
    const html = readFileSync(join(DIST, page), 'utf8');
    assert.doesNotMatch(html, /__trunk_address__|__TRUNK_ADDRESS__|\{\{|new WebSocket|trunk\/ws/i, page);
    assert.match(html, /<div id="app">/, page);
  }
  assert.equal(readFileSync(join(DIST, 'embed.html'), 'utf8'), readFileSync(join(DIST, 'index.html'), 'utf8'));
});

test('the server ./run uses applies dist/_headers: COOP/COEP/CORP everywhere, DIP on embed.html only', async () => {
  const rules = parseHeaders(readFileSync(join(DIST, '_headers'), 'utf8'));
  assert.equal(headersFor(rules, '/embed.html')['Document-Isolation-Policy'], 'isolate-and-require-corp');
  const app = await serveDir(DIST); // as `node tests/serve.mjs dist` in ./run
  try {
    const get = async (path, method = 'GET') => (await fetch(app.url + path, { method })).headers;
    for (const path of ['/', '/index.html', '/embed.html', '/compute-worker.js', '/sw.js']) {
      const h = await get(path);
      assert.equal(h.get('cross-origin-opener-policy'), 'same-origin', path);
      assert.equal(h.get('cross-origin-embedder-policy'), 'require-corp', path);
      assert.equal(h.get('cross-origin-resource-policy'), 'cross-origin', path);
    }
    assert.equal((await get('/embed.html')).get('document-isolation-policy'), 'isolate-and-require-corp');
    assert.equal((await get('/embed.html', 'HEAD')).get('document-isolation-policy'), 'isolate-and-require-corp');
    assert.equal((await get('/index.html')).get('document-isolation-policy'), null);
    assert.equal((await get('/')).get('document-isolation-policy'), null);
    assert.equal((await fetch(`${app.url}/_headers`)).status, 404);
  } finally {
    app.server.close();
  }
});
