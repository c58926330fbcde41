// End-to-end: the races lesson — real lost updates (never more than K×M), exact fixes, a
// deadlock demo that returns within its bound, and the interleaving explorer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, watch, screenshot } from './helpers.mjs';

const env = useApp();

test('real race: fixes are exact, the racy counter never exceeds K×M; deadlock demo ends', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [env.url]);
  let lost = 0;
  // Lost updates are likely but not guaranteed on a busy machine: try a few times, assert
  // only the invariants on every run (a lucky run must not fail CI).
  for (let attempt = 0; attempt < 3 && lost === 0; attempt++) {
    await page.goto(`${env.url}/#/races?k=2&m=1000000&repeats=10&run=1&attempt=${attempt}`);
    await page.locator('[data-testid="run-state"][data-state="done"]').waitFor({ timeout: 120_000 });
    const rows = JSON.parse(await page.getByTestId('results').getAttribute('data-json'));
    assert.deepEqual(rows.map((r) => r.variant), ['racy', 'mutex', 'atomic', 'reduction']);
    for (const r of rows) {
      assert.equal(r.expected, 2_000_000);
      assert.ok(r.max_total <= r.expected, `${r.variant} overcounted`);
      if (r.variant !== 'racy') assert.equal(r.min_total, r.expected, `${r.variant} is exact`);
    }
    lost = rows[0].runs_with_lost_updates;
  }
  console.log(`racy runs with lost updates in the last attempt: ${lost}`);
  await page.getByTestId('run-deadlock').click();
  const result = page.getByTestId('deadlock-result');
  await result.waitFor({ timeout: 60_000 });
  assert.equal(await result.getAttribute('data-trials'), '10');
  await page.getByTestId('order').selectOption('consistent');
  await page.getByTestId('run-deadlock').click();
  await page.locator('[data-testid="deadlock-result"][data-deadlocks="0"]').waitFor({ timeout: 60_000 });
  await screenshot(page, 'races-1280');
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

test('explorer: the user schedules a lost update; Explore all finds it; the fix has none', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${env.url}/#/races?preset=counter`);
  for (const t of [0, 1, 0, 1]) await page.getByTestId(`step-${t}`).click();
  const outcome = page.getByTestId('explorer-outcome');
  assert.equal(await outcome.getAttribute('data-outcome'), 'wrong');
  assert.equal(await page.getByTestId('shared-counter').getAttribute('data-value'), '1');
  assert.match(page.url(), /schedule=0,1,0,1/);
  await page.getByTestId('explore-all').click();
  const stats = page.getByTestId('explorer-stats');
  assert.equal(await stats.getAttribute('data-schedules'), '6'); // C(4,2) interleavings
  assert.equal(await stats.getAttribute('data-failing'), '4');
  assert.equal(await page.getByTestId('compare-counter-locked').getAttribute('data-failing'), '0');
  await page.getByTestId('explorer-preset').selectOption('deadlock');
  await page.getByTestId('step-0').click();
  await page.getByTestId('step-1').click();
  assert.equal(await page.getByTestId('explorer-outcome').getAttribute('data-outcome'), 'deadlock');
  await page.getByTestId('explorer-cycle').waitFor();
  await screenshot(page, 'races-explorer-deadlock');
  await page.close();
});

test('workers mode: the real-thread sections explain why they cannot run', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/races?mode=workers&pool=2`);
  await page.getByTestId('run').waitFor();
  assert.ok(await page.getByTestId('run').isDisabled());
  assert.match(await page.locator('.lesson').textContent(), /nothing to race on/);
  await page.close();
});
