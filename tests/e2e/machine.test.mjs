// End-to-end: the machine lab (issue 13) measures cores, caches, bandwidth, false sharing and
// the roofline on the real pool, shows them in plots and tables with data-json, and remembers
// the machine card. Structure is asserted, timings only loosely (they belong in ./bench).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, watch, finishedRun, screenshot, inkFraction } from './helpers.mjs';

const env = useApp();

test('a quick run fills the card, every experiment and every plot', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/machine?extent=quick&run=1`);
  const state = page.getByTestId('run-state');
  await state.and(page.locator(':is([data-state="done"],[data-state="error"],[data-state="cancelled"])'))
    .waitFor({ timeout: 180_000 });
  assert.equal(await state.getAttribute('data-state'), 'done', await state.textContent());
  const card = JSON.parse(await page.getByTestId('machine-card').getAttribute('data-json'));
  assert.ok(card.measured_cores >= 1 && card.measured_cores <= card.reported_cores * 2, JSON.stringify(card));
  assert.ok(card.logical_threads >= card.measured_cores);
  assert.ok(card.bandwidth_one_thread_gbs > 0 && card.peak_gflops > 0);
  assert.equal(card.mode, 'threads');
  const memory = JSON.parse(await page.getByTestId('cache-levels').getAttribute('data-json'));
  assert.ok(memory.points.length >= 8, 'a sweep of working sets');
  assert.equal(memory.points[0].bytes, 4096);
  assert.ok(memory.points.every((p) => p.latency_ns > 0 && p.read_gbs > 0));
  const sharing = JSON.parse(await page.getByTestId('machine-sharing').getAttribute('data-json'));
  assert.ok(sharing.points.some((p) => p.threads >= 2), 'false sharing measured on 2+ threads');
  const bw = JSON.parse(await page.getByTestId('machine-bandwidth').getAttribute('data-json'));
  assert.ok(bw.points.length >= 1 && bw.points.every((p) => p.triad_gbs > 0));
  for (const plot of ['cores-plot', 'latency-plot', 'read-plot', 'bandwidth-plot', 'stride-plot', 'roofline-plot']) {
    assert.ok(await inkFraction(page, plot) > 0.005, `${plot} is drawn`);
  }
  const stored = await page.evaluate(() => localStorage.getItem('parlab.machine-card'));
  assert.equal(JSON.parse(stored).measured_cores, card.measured_cores, 'the card is remembered');
  await screenshot(page, 'machine-1280');
  await page.setViewportSize({ width: 360, height: 800 });
  await page.waitForTimeout(300);
  await screenshot(page, 'machine-360');
  // The die draws the measured cores from then on (same site, same localStorage).
  await page.goto(`${env.url}/#/cpu?view=die`);
  await page.getByTestId('die').waitFor();
  assert.match(await page.locator('.lesson').textContent(), new RegExp(`${card.measured_cores} cores measured by the machine lab`));
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

test('without shared memory the machine lab says why and ends unavailable', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/machine?mode=workers&pool=2&run=1`);
  const state = page.locator('[data-testid="run-state"][data-state="unavailable"]');
  await state.waitFor();
  assert.match(await state.textContent(), /share memory/);
  await page.close();
});
