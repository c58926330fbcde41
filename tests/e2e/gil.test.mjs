// End-to-end: the GIL lesson measures real interpreter threads, processes and races.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servePage } from '../serve.mjs';
import { useApp, watch, finishedRun, screenshot, inkFraction } from './helpers.mjs';

const env = useApp();

test('CPU-bound bytecode: the GIL serialises threads, processes and free threads run together', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/gil?workload=primes&size=small&threads=1,2&reps=2&run=1`);
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  assert.equal(run.rows.length, 6);
  assert.ok(run.rows.every((r) => r.value === run.rows[0].value && r.value > 0), 'same prime count everywhere');
  const at2 = (mode) => run.rows.find((r) => r.mode === mode && r.threads === 2);
  // Loose bounds only (a shared 2-core machine); the strict targets live in ./bench.
  assert.ok(at2('gil').speedup < 1.3, `GIL speedup ${at2('gil').speedup}`);
  assert.ok(at2('gil').handoffs > 0);
  assert.ok(at2('processes').message_bytes > 0);
  for (const mode of ['gil', 'free', 'processes']) {
    assert.ok(await inkFraction(page, `gil-timeline-${mode}`) > 0.01, mode);
  }
  assert.ok(await inkFraction(page, 'gil-speedup') > 0.01);
  assert.equal(await page.getByTestId('download-csv').count(), 1);
  await screenshot(page, 'gil-primes');
  console.log('primes, 2 threads:', ['gil', 'free_threaded', 'processes'].map((m) => `${m} ${at2(m)?.speedup?.toFixed(2)}×`).join(', '));
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

test('I/O-bound threads overlap even with the GIL', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/gil?workload=io&size=small&modes=gil&threads=1,2&reps=1&run=1`);
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  const two = run.rows.find((r) => r.threads === 2);
  assert.ok(two.speedup > 1.4, `I/O speedup under the GIL ${two.speedup}`);
  await page.close();
});

test('I/O-bound: one click reloads with 8 pool threads on this machine and measures them', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/gil?workload=io&size=medium&modes=gil&threads=1,2&reps=1`);
  await page.getByTestId('gil-oversubscribe').click();
  await page.getByTestId('env').and(page.locator('[data-pool="8"]')).waitFor();
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  assert.deepEqual(run.rows.map((r) => r.threads), [1, 2, 4, 8]);
  const eight = run.rows.find((r) => r.threads === 8);
  assert.ok(eight.speedup > 2, `8 waiting threads on ${await page.getByTestId('env').getAttribute('data-cores')} cores: ${eight.speedup}`);
  console.log('I/O under the GIL, pool=8:', run.rows.map((r) => `${r.threads}: ${r.speedup.toFixed(2)}×`).join(', '));
  await page.close();
});

test('mixed workload: every mode gives the same answer; dark theme on a phone', async () => {
  const page = await env.browser.newPage({ viewport: { width: 360, height: 740 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/gil?theme=dark&workload=mixed&size=small&cpu=1000&io=1&kb=100&threads=1,2&reps=1&run=1`);
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  assert.equal(run.rows.length, 6);
  assert.ok(run.rows.every((r) => r.value === run.rows[0].value), JSON.stringify(run.rows.map((r) => r.value)));
  assert.ok(await inkFraction(page, 'gil-timeline-gil') > 0.01);
  await screenshot(page, 'gil-mixed-dark-360');
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test('races inside the interpreter: counter += 1 loses nothing under the GIL, a call in between does', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${env.url}/#/gil?workload=counter&size=small&threads=1,2&reps=1`);
  await page.getByTestId('gil-race-run').and(page.locator(':enabled')).click();
  const state = page.getByTestId('gil-race-state');
  await state.and(page.locator('[data-state="done"],[data-state="error"]')).waitFor({ timeout: 120_000 });
  assert.equal(await state.getAttribute('data-state'), 'done', await state.textContent());
  const rows = JSON.parse(await page.getByTestId('gil-race').getAttribute('data-json'));
  const lost = (program, mode) => rows.find((r) => r.program.startsWith(program) && r.mode === mode).lost;
  assert.equal(lost('counter += 1', 'gil'), 0);
  assert.ok(lost('tmp = counter', 'gil') > 0, JSON.stringify(rows));
  console.log('lost updates:', rows.map((r) => `${r.program} / ${r.mode}: ${r.lost}`).join('; '));
  await page.getByText('The program each thread runs').click();
  assert.match(await page.getByTestId('gil-python').textContent(), /counter \+= 1/);
  await screenshot(page, 'gil-race');
  await page.close();
});

test('inside non-isolated notes only the processes rows run, each process a separate worker', async () => {
  const src = `${env.url}/#/gil?embed=1&workload=primes&size=small&threads=1,2&reps=1&run=1`;
  const parent = await servePage(`<!doctype html><html lang="en"><head><title>Notes</title></head><body>
    <iframe src="${src}" width="1100" height="1600"></iframe></body></html>`);
  try {
    const page = await env.browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems = watch(page, [env.url, parent.url]);
    await page.goto(parent.url);
    const frame = page.frameLocator('iframe');
    const run = await finishedRun(frame);
    assert.equal(run.state, 'done', run.text);
    assert.deepEqual([...new Set(run.rows.map((r) => r.mode))], ['processes']);
    assert.equal(run.rows[0].value, run.rows[1].value);
    await frame.getByTestId('gil-mode-note').waitFor();
    assert.ok(await frame.getByTestId('mode-gil').isDisabled());
    assert.deepEqual(problems.errors, []);
    await page.close();
  } finally {
    parent.server.close();
  }
});

test('bad URL values are clamped with a note and the state round-trips', async () => {
  const page = await env.browser.newPage({ viewport: { width: 360, height: 740 } });
  await page.goto(`${env.url}/#/gil?workload=mixed&cpu=999999&io=3&kb=200&threads=1,64&switch=0&modes=free,processes`);
  await page.getByTestId('url-note').waitFor();
  const note = await page.getByTestId('url-note').textContent();
  assert.match(note, /cpu=999999/);
  assert.match(note, /switch=0/);
  await page.waitForFunction(() => location.hash.includes('cpu=20000'));
  const hash = await page.evaluate(() => location.hash);
  for (const part of ['workload=mixed', 'io=3', 'kb=200', 'switch=0.1', 'modes=free,processes']) {
    assert.ok(hash.includes(part), `${part} in ${hash}`);
  }
  assert.equal(await page.getByTestId('mode-gil').isChecked(), false);
  await page.getByTestId('switch').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => !location.hash.includes('switch=0.1&') && !location.hash.endsWith('switch=0.1'));
  await screenshot(page, 'gil-mobile');
  await page.close();
});
