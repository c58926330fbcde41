// End-to-end: the CPU lab's die view is dark until something was measured, then lights the
// logical CPUs of the threads a real run used (busy share of its wall time), replays the run,
// and the overview shows the same run's points and die.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, watch, screenshot, finishedRun, inkFraction } from './helpers.mjs';

const env = useApp();

const busy = async (page) => JSON.parse(await page.getByTestId('die').getAttribute('data-busy'));
/** In-page navigation: the run store lives in this page's wasm instance, a reload forgets it. */
const go = (page, hash) => page.evaluate((h) => { location.hash = h; }, hash);

test('before any run the die is dark and says how to light it', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/cpu?view=die`);
  await page.getByTestId('die').waitFor();
  assert.equal(await page.getByTestId('tab-die').getAttribute('aria-selected'), 'true');
  assert.equal(await page.getByTestId('die').getAttribute('data-run'), 'none');
  assert.ok((await busy(page)).every((b) => b === 0));
  const empty = page.getByTestId('die-empty');
  assert.equal(await empty.locator('a[href="#/amdahl?run=1"]').count(), 1);
  assert.equal(await empty.locator('a[href="#/serial?run=1"]').count(), 1);
  const hc = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(await page.getByTestId('hardware-concurrency').getAttribute('data-value'), String(hc));
  const logical = Number(await page.getByTestId('die').getAttribute('data-logical'));
  assert.ok(logical >= hc, `${logical} logical CPUs drawn for hardwareConcurrency ${hc}`);
  assert.equal(await page.getByTestId('smt-link').getAttribute('href'), '#/cpu?view=smt');
  assert.match(page.url(), /die_slow=100(&|$)/);
  assert.match(page.url(), /die_cores=auto/);
  await screenshot(page, 'die-empty-1280');
  // The user may know their chip better than hardwareConcurrency / 2.
  const auto = Number(await page.getByTestId('die').getAttribute('data-cores'));
  await page.getByTestId('die-cores').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((n) => location.hash.includes(`die_cores=${n}`), auto + 1);
  assert.equal(await page.locator('[data-testid="die"] g.die-lamp').count(), 2 * (auto + 1));
  await page.getByTestId('die-cores-auto').click();
  await page.waitForFunction(() => location.hash.includes('die_cores=auto'));
  assert.equal(Number(await page.getByTestId('die').getAttribute('data-cores')), auto);
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test('after a real Amdahl run the die lights the threads it used, replays, and the overview shows it', async () => {
  for (const [width, height] of [[1280, 800], [360, 740]]) {
    const page = await env.browser.newPage({ viewport: { width, height } });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const problems = watch(page, [env.url]);
    await page.goto(`${env.url}/#/amdahl?workload=primes&size=small&threads=1,2&reps=1&run=1`);
    const run = await finishedRun(page);
    assert.equal(run.state, 'done', run.text);
    const two = run.rows.find((r) => r.threads === 2);

    assert.equal(await page.getByTestId('die-link').getAttribute('href'), '#/cpu?view=die');
    await go(page, '#/cpu?view=die&die_slow=10');
    const die = page.getByTestId('die');
    await die.and(page.locator('[data-run="amdahl"]')).waitFor();
    const b = await busy(page);
    const lit = b.filter((x) => x > 0);
    assert.equal(lit.length, two.threads_used, `one lit CPU per thread that worked: ${JSON.stringify(b)}`);
    assert.ok(lit.every((x) => x > 0.05 && x <= 1), JSON.stringify(b));
    assert.equal(Number(await die.getAttribute('data-threads-used')), two.threads_used);
    // The lamp labels show the same percentages.
    const shares = await die.locator('g.die-lamp:not(.unused) text.die-share').allTextContents();
    assert.equal(shares.length, lit.length);
    await page.getByText('Measured: Counting primes, small').waitFor();
    await screenshot(page, `die-after-run-${width}`);

    // Replay: step into the run, then play it to the end (10× slower than real time).
    for (let i = 0; i < 20; i++) await page.getByTestId('die-step').click();
    assert.match(await page.getByTestId('die-time').textContent(), /^replay: t = /);
    assert.equal(await page.getByTestId('die-seek').inputValue(), '380', 'the first step starts at 0, then 2 % each');
    await screenshot(page, `die-replay-38pc-${width}`);
    await page.getByTestId('die-play').click();
    await page.getByTestId('die-pause').waitFor();
    await page.getByTestId('die-play').waitFor({ timeout: 15_000 });
    assert.match(await page.getByTestId('die-time').textContent(), /^whole run/);
    await page.getByTestId('die-slow').selectOption('100');
    await page.waitForFunction(() => /die_slow=100(&|$)/.test(location.hash));

    await go(page, '#/?n=2&p=0.95&v=1.2');
    await page.getByTestId('overview-plot').waitFor();
    await page.locator('[data-testid="die"][data-run="amdahl"]').waitFor();
    assert.deepEqual((await busy(page)).filter((x) => x > 0).length, two.threads_used);
    await page.waitForTimeout(200);
    assert.ok(await inkFraction(page, 'overview-plot') > 0.01);
    await screenshot(page, `overview-after-run-${width}`);
    // Without reduced motion the replay plays by itself (with it, it started paused above).
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    await go(page, '#/cpu?view=die&die_slow=10000');
    await page.getByTestId('die-pause').waitFor();
    await page.getByTestId('die-pause').click();
    assert.match(await page.getByTestId('die-time').textContent(), /^replay: t = /);
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.foreign, []);
    await page.close();
  }
});
