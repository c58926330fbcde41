// End-to-end: the GIL lesson's message-passing section — copy / transfer / share measured on
// real workers, the serialization table, the real DataCloneError, the honest fallback in notes
// that are not cross-origin isolated, Cancel, and URL clamping. Loose assertions only: no
// timing thresholds (timings belong in benchmarks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servePage } from '../serve.mjs';
import { useApp, watch, screenshot, inkFraction } from './helpers.mjs';

const env = useApp();

/** Waits for the bench to end; returns its state, status text and transport rows. */
async function finished(frame, timeout = 120_000) {
  const state = frame.locator('[data-testid="msg-state"]');
  await state.and(frame.locator(':is([data-state="done"],[data-state="error"],[data-state="cancelled"])'))
    .waitFor({ timeout });
  const value = await state.getAttribute('data-state');
  const rows = value === 'done'
    ? JSON.parse(await frame.locator('[data-testid="msg-results"]').getAttribute('data-json'))
    : null;
  return { state: value, text: await state.textContent(), rows };
}

function methods(rows) {
  return [...new Set(rows.map((r) => r.method))].sort();
}

test('isolated page: copy, transfer and share are measured, plotted and tabulated', async () => {
  for (const [name, viewport] of [['wide', { width: 1280, height: 800 }], ['narrow', { width: 360, height: 740 }]]) {
    const page = await env.browser.newPage({ viewport });
    const problems = watch(page, [env.url]);
    await page.goto(`${env.url}/#/gil?msg_max=1M&msg_reps=3&msg_run=1`);
    const run = await finished(page);
    assert.equal(run.state, 'done', run.text);
    assert.deepEqual(methods(run.rows), ['copy', 'share', 'transfer']);
    const sizes = [...new Set(run.rows.map((r) => r.bytes))];
    assert.deepEqual(sizes, [1024, 4096, 16384, 65536, 262144, 1048576]);
    for (const r of run.rows) {
      assert.ok(r.median_ms > 0 && r.min_ms <= r.median_ms && r.median_ms <= r.max_ms, JSON.stringify(r));
      assert.equal(r.reps, 3);
    }
    assert.equal(await page.getByTestId('msg-sab-note').count(), 0, 'isolated: no "cannot share" note');
    for (const plot of ['msg-time-plot', 'msg-rate-plot']) {
      assert.ok(await inkFraction(page, plot) > 0.01, `${plot} has ink (${name})`);
    }
    assert.equal(await page.getByTestId('msg-summary').locator('.stat').count(), 3);
    // The URL keeps the section's settings (and only adds msg_ keys).
    assert.match(page.url(), /msg_max=1M/);
    assert.match(page.url(), /msg_reps=3/);
    const full = await screenshot(page, `gil-messages-${name}`);
    await page.getByTestId('msg-time-plot').screenshot({ path: full.replace('.png', '-plot.png') });
    assert.deepEqual(problems.errors, [], name);
    assert.deepEqual(problems.foreign, [], name);
    await page.close();
  }
});

test('serialization: JSON and binary rows with sizes, exact round trips, JSON larger for f64', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/gil?msg_max=4K&msg_reps=2&msg_run=1`);
  const run = await finished(page);
  assert.equal(run.state, 'done', run.text);
  const rows = JSON.parse(await page.getByTestId('msg-formats').getAttribute('data-json'));
  assert.equal(rows.length, 6);
  for (const r of rows) {
    assert.ok(r.bytes > 0, JSON.stringify(r));
    assert.ok(r.encode_ms >= 0 && r.decode_ms >= 0);
    assert.equal(r.round_trip, true, JSON.stringify(r));
  }
  const size = (object, format) => rows.find((r) => r.object === object && r.format === format).bytes;
  assert.ok(size('samples', 'json') > size('samples', 'postcard'));
  assert.equal(size('samples', 'postcard'), 100_000 * 8 + 3, 'postcard: an f64 is 8 bytes (plus a varint length)');
  await page.close();
});

test('posting a function shows the browser\'s real DataCloneError; its source loses the captured k', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/gil`);
  const error = page.getByTestId('clone-error');
  await error.waitFor();
  assert.equal(await error.getAttribute('data-name'), 'DataCloneError');
  const text = await error.textContent();
  assert.match(text, /DataCloneError/);
  assert.match(text, /could not be cloned/, 'Chromium\'s own message, verbatim');
  const trip = page.locator('[data-testid="source-trip"][data-state="done"]');
  await trip.waitFor();
  assert.match(await trip.getAttribute('data-there'), /ReferenceError/);
  assert.match(await trip.textContent(), /scale\(2\) = 6/);
  await page.close();
});

test('in notes that are not isolated, share is reported unavailable and copy/transfer still run', async () => {
  const src = `${env.url}/#/gil?embed=1&msg_max=256K&msg_reps=2&msg_run=1`;
  const parent = await servePage(`<!doctype html><html lang="en"><head><title>Notes</title></head><body>
    <h1>Course notes</h1><iframe src="${src}" width="1100" height="2600"></iframe></body></html>`);
  try {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = watch(page, [env.url, parent.url]);
    await page.goto(parent.url);
    const frame = page.frameLocator('iframe');
    const note = frame.getByTestId('msg-sab-note');
    await note.waitFor();
    assert.match(await note.textContent(), /SharedArrayBuffer/);
    assert.match(await note.textContent(), /isolated/);
    const run = await finished(frame);
    assert.equal(run.state, 'done', run.text);
    assert.deepEqual(methods(run.rows), ['copy', 'transfer']);
    assert.ok(run.rows.every((r) => r.median_ms > 0));
    assert.equal(await frame.getByTestId('clone-error').getAttribute('data-name'), 'DataCloneError');
    assert.ok(await frame.getByTestId('msg-formats').count() === 1, 'the formats bench runs without isolation too');
    await screenshot(page, 'gil-messages-notes');
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.foreign, []);
    await page.close();
  } finally {
    parent.server.close();
  }
});

test('Cancel stops a long run at once and the page stays responsive', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/gil?msg_max=64M&msg_reps=20`);
  await page.getByTestId('msg-run').click();
  await page.locator('[data-testid="msg-state"][data-state="running"]').waitFor();
  await page.getByTestId('msg-cancel').click();
  const run = await finished(page, 10_000);
  assert.equal(run.state, 'cancelled');
  // The page's thread was never blocked: it answers immediately.
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  assert.equal(await page.getByTestId('msg-run').isEnabled(), true);
  await page.close();
});

test('bad URL values are clamped with a note', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/gil?msg_max=3M&msg_reps=500`);
  const note = page.getByTestId('url-note');
  await note.waitFor();
  assert.match(await note.textContent(), /msg_max=3M/);
  assert.match(await note.textContent(), /msg_reps=500/);
  assert.match(page.url(), /msg_max=2M/);
  assert.match(page.url(), /msg_reps=20/);
  assert.equal(await page.getByTestId('msg-max').inputValue(), String(2 << 20));
  await page.close();
});
