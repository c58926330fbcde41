// End-to-end: the serial-vs-parallel lesson in threads mode, embedded without isolation
// (workers mode), cancel, and URL clamping. Screenshots land in tests/output/ for a person.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servePage } from '../serve.mjs';
import { useApp, watch, screenshot, finishedRun } from './helpers.mjs';

const PRIMES_BELOW_1_5M = 114_155; // π(1.5·10^6), the "small" size

const env = useApp();

function checkRows(rows, { minThreadsUsed }) {
  assert.ok(rows.length >= 2, `expected 1-thread and N-thread rows, got ${JSON.stringify(rows)}`);
  for (const r of rows) {
    assert.equal(r.value, PRIMES_BELOW_1_5M, `answer on ${r.threads} threads`);
    assert.ok(r.min_ms > 0 && r.min_ms <= r.median_ms && r.median_ms <= r.max_ms, JSON.stringify(r));
    assert.ok(r.reps >= 1);
  }
  const top = rows[rows.length - 1];
  assert.ok(top.threads >= 2);
  assert.ok(top.threads_used >= minThreadsUsed, `only ${top.threads_used} threads worked`);
  assert.ok(top.speedup > 0, 'speedup is reported');
}

test('threads mode: correct answer, ≥ 2 pool threads, no errors, no foreign requests', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/serial?size=small&reps=3&run=1`);
  const status = page.getByTestId('env');
  await status.waitFor();
  assert.equal(await status.getAttribute('data-mode'), 'threads');
  assert.equal(await status.getAttribute('data-coi'), 'true');
  assert.ok(Number(await status.getAttribute('data-pool')) >= 2, 'pool of at least 2 (pool = cores)');
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  checkRows(run.rows, { minThreadsUsed: 2 });
  await page.locator('canvas.plot').first().waitFor();
  await screenshot(page, 'serial-threads-1280');
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

test('embedded in a page without COOP/COEP: workers mode still measures correctly', async () => {
  const parent = await servePage(`<!doctype html><html lang="en"><head><title>Course notes</title></head>
    <body style="font-family:sans-serif;margin:16px"><h1>Week 3 notes</h1><p>Try it:</p>
    <script>window.heights = []; addEventListener('message', (e) => {
      if (e.data && e.data.type === 'parlab:height') window.heights.push(e.data.height); });</script>
    <iframe src="${env.url}/#/serial?size=small&reps=2&pool=2&embed=1&run=1" width="1100" height="1500"
      style="border:1px solid #ccc"></iframe></body></html>`);
  try {
    const page = await env.browser.newPage({ viewport: { width: 1200, height: 1000 } });
    const problems = watch(page, [env.url, parent.url]);
    await page.goto(parent.url);
    const frame = page.frameLocator('iframe');
    const status = frame.getByTestId('env');
    await status.waitFor();
    assert.equal(await status.getAttribute('data-coi'), 'false');
    assert.equal(await status.getAttribute('data-mode'), 'workers');
    const run = await finishedRun(frame);
    assert.equal(run.state, 'done', run.text);
    checkRows(run.rows, { minThreadsUsed: 2 });
    await page.waitForFunction(() => window.heights.length > 0 && window.heights.at(-1) > 300);
    await screenshot(page, 'serial-embedded-workers');
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.foreign, []);
    await page.close();
  } finally {
    parent.server.close();
  }
});

test('cancel stops a long run and the page stays responsive', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/serial?size=large&reps=5`);
  await page.getByTestId('run').and(page.locator(':enabled')).waitFor();
  await page.getByTestId('run').click();
  await page.locator('[data-testid="run-state"][data-state="running"]').waitFor();
  // The UI thread is free while the workers compute: a click is handled at once.
  const t0 = Date.now();
  await page.getByTestId('cancel').click();
  await page.locator('[data-testid="run-state"][data-state="cancelled"]').waitFor({ timeout: 30_000 });
  assert.ok(Date.now() - t0 < 30_000);
  await page.close();
});

test('out-of-range URL values are clamped with a visible note, never an error', async () => {
  const page = await env.browser.newPage();
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/serial?reps=999&threads=0,abc,1&size=huge&pool=0`);
  const note = page.getByTestId('url-note').first();
  await note.waitFor();
  const text = await page.locator('[data-testid="url-note"]').allTextContents();
  assert.match(text.join(' '), /reps=999/);
  assert.match(text.join(' '), /pool=0/);
  assert.equal(await page.getByTestId('env').getAttribute("data-pool"), "1");
  assert.match(page.url(), /reps=20/);
  assert.equal(await page.getByTestId('error').count(), 0);
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test('share bar: embed snippet keeps the state; theme toggle switches light and dark', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/serial?size=small&reps=4`);
  await page.getByTestId('embed').click();
  const snippet = await page.getByTestId('embed-snippet').inputValue();
  assert.match(snippet, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html#\/serial\?/);
  assert.match(snippet, /size=small/);
  assert.match(snippet, /reps=4/);
  assert.match(snippet, /embed=1/);
  assert.match(snippet, /allow="cross-origin-isolated"/);
  await page.getByTestId('theme').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
  await page.getByTestId('theme').click();
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.match(page.url(), /theme=dark/);
  await page.close();
});
