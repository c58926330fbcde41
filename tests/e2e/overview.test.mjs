// End-to-end: the overview's three levers (p, cores, voltage) on one screen: the Amdahl plot
// and the die draw, the voltage slider moves the power readout and the URL, links round-trip
// and bad values are clamped with a note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, watch, screenshot, inkFraction } from './helpers.mjs';

const env = useApp();

const readout = async (page) => JSON.parse(await page.getByTestId('overview-power').getAttribute('data-json'));
const lamps = (page) => page.locator('[data-testid="die"] svg.die g.die-lamp');

for (const [width, height] of [[1280, 800], [360, 740]]) {
  test(`overview renders plot, die and readout at ${width} px, light and dark`, async () => {
    const page = await env.browser.newPage({ viewport: { width, height } });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const problems = watch(page, [env.url]);
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(`${env.url}/#/?p=0.95&n=4&v=1.2`);
      await page.reload();
      await page.getByTestId('overview-plot').waitFor();
      await page.waitForTimeout(200);
      const ink = await inkFraction(page, 'overview-plot');
      assert.ok(ink > 0.01, `plot has ink (${ink})`);
      assert.equal(await lamps(page).count(), 8, '4 cores × 2 hardware threads');
      const die = page.getByTestId('die');
      assert.equal(await die.getAttribute('data-cores'), '4');
      assert.equal(await die.getAttribute('data-run'), 'none');
      assert.ok((await die.locator('svg.die').boundingBox()).width > 200, 'die is drawn at a readable size');
      const r = await readout(page);
      assert.equal(r.n, 4);
      assert.ok(r.mhz > 0 && r.total_w > 0 && Math.abs(r.total_w - 4 * r.core_w) < 1e-9, JSON.stringify(r));
      assert.ok(Math.abs(r.speedup - 1 / (0.05 + 0.95 / 4)) < 1e-9);
      // The cards and the measurement notes are still there, below the levers.
      assert.ok(await page.locator('a.card[href="#/amdahl"]').count() === 1);
      await page.getByText('How the measurements are made').waitFor();
      await screenshot(page, `overview-${scheme}-${width}`);
    }
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.foreign, []);
    await page.close();
  });
}

test('voltage slider (keyboard) changes the power readout and the URL', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/?p=0.9&n=4&v=1.1`);
  await page.getByTestId('overview-power').waitFor();
  const before = await readout(page);
  await page.getByTestId('overview-v').focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => !location.hash.includes('v=1.1&') && !location.hash.endsWith('v=1.1'));
  const after = await readout(page);
  assert.ok(Math.abs(after.volts - 1.12) < 1e-9, `4 steps of 5 mV: ${after.volts}`);
  assert.ok(after.mhz > before.mhz, 'a higher voltage allows a higher clock');
  assert.ok(after.total_w > before.total_w, 'and costs more watts');
  assert.ok(after.perf_per_w < before.perf_per_w, 'at a worse performance per watt');
  assert.match(page.url(), /[?&]v=1\.12(&|$)/);
  const text = await page.getByTestId('overview-power').textContent();
  assert.ok(text.includes(`${after.total_w.toFixed(1)} W`), text);
  // Cores: the die follows the slider.
  await page.getByTestId('overview-n').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /[?&]n=5(&|$)/.test(location.hash));
  assert.equal(await lamps(page).count(), 10);
  assert.equal((await readout(page)).n, 5);
  // p: fine steps near 1.
  await page.getByTestId('overview-p').focus();
  await page.keyboard.press('ArrowRight');
  const p = (await readout(page)).p;
  assert.ok(p > 0.9 && p < 0.905, `one step from 0.9 is small: ${p}`);
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test('URL round trip restores the levers; malformed values are clamped with a note', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/?p=0.8&n=6&v=1.1`);
  await page.getByTestId('overview-power').waitFor();
  for (const part of ['p=0.8', 'n=6', 'v=1.1']) assert.match(page.url(), new RegExp(`[?&]${part}(&|$)`));
  let r = await readout(page);
  assert.deepEqual([r.p, r.n, r.volts], [0.8, 6, 1.1]);
  assert.equal(await lamps(page).count(), 12);
  assert.equal(await page.getByTestId('overview-n').inputValue(), '6');
  assert.equal(await page.getByTestId('url-note').count(), 0);
  await page.reload();
  await page.getByTestId('overview-power').waitFor();
  r = await readout(page);
  assert.deepEqual([r.p, r.n, r.volts], [0.8, 6, 1.1]);

  // A link clicked inside the app (hashchange) remounts the overview from the new query.
  await page.goto(`${env.url}/#/?n=999&v=9&p=x`);
  const note = page.getByTestId('url-note');
  await note.waitFor();
  const text = await note.textContent();
  for (const bad of ['n=999', 'v=9', 'p=x']) assert.ok(text.includes(bad), `${bad} in ${text}`);
  r = await readout(page);
  assert.equal(r.n, 32);
  assert.equal(r.volts, 1.6);
  assert.equal(r.p, 0.9);
  assert.match(page.url(), /[?&]n=32(&|$)/);
  assert.equal(await lamps(page).count(), 64);
  await screenshot(page, 'overview-clamped-32-cores');
  await note.getByRole('button', { name: 'Dismiss note' }).click();
  assert.equal(await page.getByTestId('url-note').count(), 0);
  assert.deepEqual(problems.errors, []);
  await page.close();
});
