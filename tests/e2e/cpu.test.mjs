// End-to-end: the CPU lab's four model views render and draw without errors, keep every
// control in the URL, clamp bad links with a note, and animate the superscalar core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, watch, screenshot, inkFraction } from './helpers.mjs';

const env = useApp();


const json = async (page, testid) => JSON.parse(await page.getByTestId(testid).getAttribute('data-json'));

const VIEWS = {
  power: ['power-plot'],
  trends: ['trends-plot'],
  superscalar: ['ipc-width-plot'],
  smt: ['smt-strip'],
};

for (const width of [1280, 360]) {
  test(`every view renders and draws at ${width} px, light and dark, without console errors`, async () => {
    const page = await env.browser.newPage({ viewport: { width, height: 900 } });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    const problems = watch(page, [env.url]);
    for (const [view, canvases] of Object.entries(VIEWS)) {
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(`${env.url}/#/cpu?view=${view}`);
        await page.reload();
        await page.getByTestId(`tab-${view}`).waitFor();
        assert.equal(await page.getByTestId(`tab-${view}`).getAttribute('aria-selected'), 'true');
        for (const c of canvases) {
          await page.getByTestId(c).waitFor();
          await page.waitForTimeout(150);
          const ink = await inkFraction(page, c);
          assert.ok(ink > 0.01, `${view}/${c} has ink (${ink}) at ${width} px, ${scheme}`);
        }
        await screenshot(page, `cpu-${view}-${scheme}-${width}`);
      }
    }
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.foreign, []);
    await page.close();
  });
}

test('power: URL round-trip, keyboard slider, f capped at f_max, Banias preset, same budget', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [env.url]);
  const q = 'view=power&v=1.200&f=900&c=30.000&alpha=0.20&cores=2&tdp=30.0&p=0.75';
  await page.goto(`${env.url}/#/cpu?${q}`);
  await page.getByTestId('power-readout').waitFor();
  for (const part of q.split('&')) assert.ok(page.url().includes(part), `${part} kept in ${page.url()}`);
  assert.equal(await page.getByTestId('cores').inputValue(), '2');
  const r = await json(page, 'power-readout');
  assert.equal(r.mhz, 900);
  assert.equal(r.capped, false);
  assert.ok(Math.abs(r.total_w - 2 * r.core_w) < 1e-9);

  await page.getByTestId('v').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => !location.hash.includes('v=1.200'));
  assert.match(page.url(), /v=1\.205/);

  await page.goto(`${env.url}/#/cpu?view=power&v=1.000&f=1900`);
  await page.reload();
  await page.getByTestId('f-capped').waitFor();
  const capped = await json(page, 'power-readout');
  assert.ok(capped.capped && capped.mhz < 1900 && Math.abs(capped.mhz - capped.f_max) < 1e-9, JSON.stringify(capped));

  await page.getByTestId('banias-preset').click();
  await page.waitForFunction(() => location.hash.includes('v=1.484'));
  assert.match(page.url(), /f=1600/);
  assert.match(page.url(), /tdp=24\.5/);
  // The fitted f_max curve passes 3.6 % below the table's top point, and the lab says so.
  const top = await json(page, 'power-readout');
  assert.ok(top.capped && top.mhz > 1500 && top.core_w > 23 && top.core_w < 24.5, JSON.stringify(top));
  assert.match(await page.getByTestId('f-capped').textContent(), /Intel did run Banias at 1600 MHz/);

  await page.goto(`${env.url}/#/cpu?view=power&p=1&tdp=24.5`);
  await page.reload();
  let budget = await json(page, 'budget-table');
  assert.deepEqual(budget.map((b) => b.cores), [1, 2, 4]);
  assert.ok(Math.abs(budget[1].speedup - 1.42) < 0.02, JSON.stringify(budget));
  assert.ok(budget[1].mhz < budget[0].mhz);
  assert.match(await page.getByTestId('amdahl-link').getAttribute('href'), /#\/amdahl\?p=1\.000/);
  await page.goto(`${env.url}/#/cpu?view=power&p=0&tdp=24.5`);
  await page.reload();
  budget = await json(page, 'budget-table');
  assert.ok(Math.abs(budget[1].speedup - 0.71) < 0.02, JSON.stringify(budget));
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test('bad link values are clamped or replaced, with a note', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/cpu?view=nope&v=9&cores=99&program=zzz&from=1900&series=transistors,bogus&smt_miss=0`);
  const notes = (await page.getByTestId('url-note').allTextContents()).join(' ');
  for (const bad of ['view=nope', 'v=9', 'cores=99', 'program=zzz', 'from=1900', 'bogus', 'smt_miss=0']) {
    assert.ok(notes.includes(bad), `note mentions ${bad}: ${notes}`);
  }
  assert.match(page.url(), /cores=16/);
  assert.match(page.url(), /v=1\.600/);
  assert.match(page.url(), /from=1971/);
  assert.match(page.url(), /series=transistors(&|$)/);
  assert.match(page.url(), /view=power/);
  await page.close();
});

test('trends: series toggle in the URL, doubling times, the claim checked, attribution shown', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/cpu?view=trends&from=2005&to=2021`);
  await page.getByTestId('trends-plot').waitFor();
  const cores = await json(page, 'doubling-cores');
  assert.ok(cores.months > 28 && cores.months < 40, JSON.stringify(cores));
  const tr = await json(page, 'doubling-transistors');
  assert.ok(tr.years > 1.8 && tr.years < 2.3, JSON.stringify(tr));
  assert.match(await page.getByTestId('cores-claim').textContent(), /slower than the claim/);
  const credit = await page.getByTestId('attribution').textContent();
  for (const name of ['Horowitz', 'Labonte', 'Shacham', 'Olukotun', 'Hammond', 'Batten', 'Rupp', 'CC BY 4.0']) {
    assert.ok(credit.includes(name), `attribution names ${name}`);
  }
  await page.getByTestId('series-specint').uncheck();
  await page.waitForFunction(() => !location.hash.includes('specint'));
  assert.match(page.url(), /series=transistors,frequency,power,cores/);
  await page.getByTestId('from').fill('1971');
  await page.getByTestId('from').press('Enter');
  await page.waitForFunction(() => location.hash.includes('from=1971'));
  // The URL is written before the view re-renders: wait for the new fit, not just the hash.
  await page.waitForFunction(
    (n) => JSON.parse(document.querySelector('[data-testid="doubling-transistors"]').dataset.json).points > n,
    tr.points,
  );
  assert.ok(await inkFraction(page, 'trends-plot') > 0.01);
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test('superscalar: no autoplay with reduced motion; step, play and pause; IPC against width', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const problems = watch(page, [env.url]);
  const q = 'view=superscalar&program=chain&width=2&issue=ooo&window=8&miss=40&alus=3&speed=16';
  await page.goto(`${env.url}/#/cpu?${q}`);
  await page.getByTestId('cycle-grid').waitFor();
  for (const part of q.split('&')) assert.ok(page.url().includes(part), `${part} kept in ${page.url()}`);
  assert.equal(await page.getByTestId('program').inputValue(), 'chain');
  assert.equal(await page.getByTestId('issue').inputValue(), 'ooo');
  const grid = page.getByTestId('cycle-grid');
  const last = Number(await grid.getAttribute('data-cycle'));
  await page.waitForTimeout(400);
  assert.equal(Number(await grid.getAttribute('data-cycle')), last, 'no autoplay with reduced motion');
  assert.ok(last > 10);
  // A dependency chain: one FP add per 4-cycle latency at every width.
  const ipcs = await json(page, 'ipc-width');
  assert.equal(ipcs.length, 8);
  assert.ok(ipcs.every((x) => x === 0.25), JSON.stringify(ipcs));
  assert.equal((await json(page, 'ipc')).ipc, 0.25);

  await page.getByTestId('reset').click();
  await page.waitForFunction(() => location.hash.includes('cycle=0'));
  await page.getByTestId('step').click();
  await page.waitForFunction(() => location.hash.includes('cycle=1&') || location.hash.endsWith('cycle=1'));
  assert.equal(await grid.getAttribute('data-cycle'), '1');
  assert.equal(await grid.locator('tbody tr').count(), 2);
  await page.getByTestId('play').click();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="cycle-grid"]').dataset.cycle) >= 4);
  await page.getByTestId('pause').click();
  const paused = await grid.getAttribute('data-cycle');
  await page.waitForTimeout(300);
  assert.equal(await grid.getAttribute('data-cycle'), paused, 'pause stops the animation');
  assert.ok(await inkFraction(page, 'ipc-width-plot') > 0.01);

  // A stall with its reason is listed (the chain waits for the previous add).
  await page.getByTestId('reset').click();
  await page.getByTestId('step').click();
  await page.getByTestId('step').click();
  assert.match(await grid.textContent(), /waits for #\d+'s result/);
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test('superscalar plays by itself without reduced motion', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await page.goto(`${env.url}/#/cpu?view=superscalar&program=loads&speed=16`);
  await page.getByTestId('cycle-grid').waitFor();
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="cycle-grid"]').dataset.cycle) >= 3);
  assert.ok(await page.getByTestId('pause').isEnabled());
  await page.getByTestId('pause').click();
  await page.close();
});

test('smt: the mixed pair gains, two FPU-bound threads do not, and logical cores are explained', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/cpu?view=smt&smt=mixed&smt_miss=30`);
  await page.getByTestId('smt-results').waitFor();
  const mixed = await json(page, 'smt-results');
  assert.ok(mixed.gain > 0.15 && mixed.gain < 0.3, JSON.stringify(mixed));
  assert.ok(mixed.ipc_together > mixed.ipc_a);
  await page.getByTestId('smt-preset').selectOption('same');
  await page.waitForFunction(() => location.hash.includes('smt=same'));
  const same = await json(page, 'smt-results');
  assert.ok(same.gain < 0.02, JSON.stringify(same));
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.match(await page.getByTestId('logical-cores').textContent(), new RegExp(`hardwareConcurrency = ${cores} logical`));
  await page.getByTestId('smt-miss').focus();
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => location.hash.includes('smt_miss=29'));
  assert.ok(await inkFraction(page, 'smt-strip') > 0.01);
  assert.deepEqual(problems.errors, []);
  await page.close();
});
