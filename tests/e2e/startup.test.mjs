// End-to-end: start-up in Chromium. The core-count probe (reported vs measured), the watchdog
// that ends a pool that never reports ready (fault injection: `fault=pool-hang`), a failing
// pool, and a status bar that names the real cause (`data-why`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serveDir, servePage, ISOLATION_HEADERS } from '../serve.mjs';
import { useApp, watch, finishedRun, DIST } from './helpers.mjs';

const env = useApp();

async function statusOf(frame) {
  const status = frame.locator('[data-testid="env"]:not([data-ready="starting"])');
  await status.waitFor({ timeout: 40_000 });
  const attrs = await status.evaluate((e) => Object.fromEntries([...e.attributes].map((a) => [a.name, a.value])));
  return { ...attrs, text: await status.textContent() };
}

test('the probe measures the useful thread count; the pool follows it; pool= skips it', async () => {
  const page = await env.browser.newPage();
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/serial`);
  const s = await statusOf(page);
  assert.equal(s['data-ready'], 'ready');
  assert.equal(s['data-mode'], 'threads');
  assert.equal(s['data-why'], 'isolated');
  const cores = Number(s['data-cores']);
  const measured = Number(s['data-measured']);
  const pool = Number(s['data-pool']);
  assert.ok(measured >= 1 && measured <= cores, JSON.stringify(s));
  // The pool is the measured count, but never below 2 when 2 or more are reported.
  assert.equal(pool, Math.max(measured, Math.min(2, cores)));
  assert.match(s.text, new RegExp(`reported ${cores}, (measured ${measured}|probe inconclusive)`));
  // The serial lesson's default thread list ends at the pool's size.
  const boxes = await page.locator('[data-testid^="threads-"]').evaluateAll((es) => es.map((e) => e.dataset.testid));
  assert.ok(boxes.includes(`threads-${pool}`), `${boxes}`);
  assert.ok(!boxes.includes(`threads-${pool + 1}`), `${boxes}`);
  console.log(`# chromium probe: ${await page.locator('[data-testid="env"] .facts').getAttribute('title')}`);
  assert.deepEqual(problems.errors, []);
  await page.goto(`${env.url}/#/serial?pool=3`);
  await page.reload();
  const fixed = await statusOf(page);
  assert.equal(fixed['data-pool'], '3');
  assert.equal(fixed['data-measured'], undefined, 'pool= in the URL: no probe');
  await page.close();
});

test('fault=pool-hang: the watchdog ends the pool, falls back to workers, says why, and run=1 still ends in done', async () => {
  const page = await env.browser.newPage();
  const problems = watch(page, [env.url]);
  const t0 = Date.now();
  await page.goto(`${env.url}/#/serial?run=1&fault=pool-hang&size=small&reps=1&threads=1,2`);
  await page.locator('[data-testid="env"][data-why="watchdog"][data-ready="ready"]').waitFor({ timeout: 40_000 });
  const s = await statusOf(page);
  assert.equal(s['data-mode'], 'workers');
  assert.equal(s['data-coi'], 'true');
  assert.match(s.text, /did not start within \d+ s/);
  assert.ok(Date.now() - t0 >= 7_000, 'not before the deadline');
  await page.getByTestId('url-note').getByText(/did not start within/).waitFor();
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  assert.equal(run.rows[0].value, run.rows.at(-1).value);
  // The only console noise allowed is the watchdog's own warning (not an error).
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test('fault=pool-stall: a pool that stalls while starting its threads is restarted once, in threads mode', async () => {
  const page = await env.browser.newPage();
  const problems = watch(page, [env.url]);
  const t0 = Date.now();
  await page.goto(`${env.url}/#/serial?run=1&fault=pool-stall&size=small&reps=1&threads=1,2`);
  await page.locator('[data-testid="env"][data-ready="ready"]').waitFor({ timeout: 30_000 });
  const s = await statusOf(page);
  assert.equal(s['data-mode'], 'threads', 'the restarted pool started: no fallback');
  assert.equal(s['data-why'], 'isolated');
  assert.ok(Date.now() - t0 >= 4_000, 'restarted only after the stall deadline');
  await page.getByTestId('url-note').getByText(/stalled while starting its threads/).waitFor();
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  assert.equal(run.rows[0].value, run.rows.at(-1).value);
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test('fault=pool-fail: a pool that fails falls back at once and says so', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/serial?fault=pool-fail`);
  await page.locator('[data-testid="env"][data-ready="ready"][data-why="pool-failed"]').waitFor({ timeout: 30_000 });
  const s = await statusOf(page);
  assert.equal(s['data-mode'], 'workers');
  assert.match(s.text, /could not start \(.*injected pool failure/);
  await page.close();
});

test('fault=probe-hang: a probe that never answers gives up and keeps the reported count', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/serial?fault=probe-hang`);
  const s = await statusOf(page);
  assert.equal(s['data-ready'], 'ready');
  assert.equal(s['data-measured'], s['data-cores']);
  assert.match(s.text, /probe inconclusive/);
  await page.close();
});

test('data-why names the cause: not isolated, DIP not sent, DIP honoured', async () => {
  const plain = await serveDir(DIST, { headers: {}, embedHeaders: false });
  const noDip = await serveDir(DIST, { headers: ISOLATION_HEADERS, embedHeaders: false });
  const notes = (src) => servePage(`<!doctype html><title>Notes</title><iframe src="${src}" width="1000" height="900"></iframe>`);
  const cases = [
    // [page, expected why, expected data-dip, text]
    [`${plain.url}/#/serial?sw=0`, 'not-isolated', 'not-sent', /server sent no COOP\/COEP/],
    [await notes(`${env.url}/#/serial?embed=1`), 'not-isolated', 'not-sent', /embeds it/],
    [await notes(`${noDip.url}/embed.html#/serial?embed=1`), 'dip-not-sent', 'not-sent', /did not send Document-Isolation-Policy/],
    [await notes(`${env.url}/embed.html#/serial?embed=1`), 'isolated', 'isolated', /cross-origin isolated: a rayon pool/],
  ];
  try {
    for (const [where, why, dip, text] of cases) {
      const page = await env.browser.newPage();
      const url = typeof where === 'string' ? where : where.url;
      await page.goto(url);
      const frame = typeof where === 'string' ? page : page.frameLocator('iframe');
      await frame.locator(`[data-testid="env"][data-why="${why}"]`).waitFor({ timeout: 30_000 });
      const s = await statusOf(frame);
      assert.equal(s['data-dip'], dip, url);
      assert.match(s.text, text, url);
      if (why !== 'isolated') assert.equal(s['data-mode'], 'workers', url);
      await page.close();
      if (typeof where !== 'string') where.server.close();
    }
  } finally {
    plain.server.close();
    noDip.server.close();
  }
});
