// End-to-end: the Amdahl lab measures real runs (threads and workers mode), draws its plots,
// and keeps every control in the URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, watch, screenshot, finishedRun, inkFraction } from './helpers.mjs';

const env = useApp();


function checkRows(rows, threads) {
  assert.deepEqual(rows.map((r) => r.threads), threads);
  const value = rows[0].value;
  for (const r of rows) {
    assert.equal(r.value, value, 'same answer on every thread count');
    assert.ok(r.min_ms > 0 && r.min_ms <= r.median_ms && r.median_ms <= r.max_ms, JSON.stringify(r));
  }
  assert.equal(rows[0].speedup, 1);
  assert.ok(Math.abs(rows[1].speedup - rows[0].median_ms / rows[1].median_ms) < 1e-9);
}

test('pi on 1 and 2 threads: results, fitted p, drawn plots, no errors', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/amdahl?workload=pi&size=small&threads=1,2&reps=3&serial=0.3&run=1`);
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  checkRows(run.rows, [1, 2]);
  assert.ok(run.rows.every((r) => r.serial_ms > 0), 'the injected serial section was timed');
  assert.ok(run.rows[1].threads_used >= 2);
  await page.getByTestId('fitted-p').waitFor();
  assert.ok(await inkFraction(page, 'speedup-plot') > 0.01, 'speedup plot is drawn');
  assert.ok(await inkFraction(page, 'efficiency-plot') > 0.01, 'efficiency plot is drawn');
  await screenshot(page, 'amdahl-light-1280');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByTestId('log').check();
  await page.waitForTimeout(200);
  await screenshot(page, 'amdahl-dark-1280');
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

test('workers mode: mandelbrot with a serial section gives the same answer on 1 and 2 workers', async () => {
  const page = await env.browser.newPage();
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/amdahl?mode=workers&pool=2&workload=mandelbrot&size=small&threads=1,2&reps=2&serial=0.2&schedule=static&run=1`);
  assert.equal(await page.getByTestId('env').getAttribute('data-mode'), 'workers');
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  checkRows(run.rows, [1, 2]);
  assert.ok(run.rows[0].serial_ms > 0);
  const image = page.getByTestId('mandelbrot-image');
  await image.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="mandelbrot-image"]').width === 420);
  assert.ok(await inkFraction(page, 'mandelbrot-image') > 0.2, 'the image is drawn');
  await screenshot(page, 'amdahl-mandelbrot-workers');
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test('URL state round-trips and the keyboard moves a slider', async () => {
  const page = await env.browser.newPage();
  const q = 'p=0.95&n=64&log=1&scaled=1&workload=matmul&size=small&schedule=static&serial=0.20&threads=1,2&reps=4';
  await page.goto(`${env.url}/#/amdahl?${q}`);
  await page.getByTestId('workload').waitFor();
  for (const part of q.split('&')) assert.ok(page.url().includes(part), `${part} kept in ${page.url()}`);
  assert.equal(await page.getByTestId('workload').inputValue(), 'matmul');
  assert.equal(await page.getByTestId('schedule').inputValue(), 'static');
  assert.ok(await page.getByTestId('log').isChecked());
  await page.getByTestId('p').focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => !/p=0\.95(&|$)/.test(location.hash));
  assert.match(page.url(), /p=0\.95\d/);
  await page.goto(`${env.url}/#/amdahl?p=7&n=99999&workload=nope`);
  const notes = (await page.getByTestId('url-note').allTextContents()).join(' ');
  assert.match(notes, /p=7/);
  assert.match(notes, /n=99999/);
  assert.match(page.url(), /n=1024/);
  await page.close();
});

test('multicore view: Hill & Marty curves are drawn', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${env.url}/#/amdahl?view=multicore&hm_f=0.975&hm_n=256&hm_r=16`);
  await page.locator('#hill-marty').waitFor();
  await page.waitForTimeout(200);
  const ink = await page.locator('#hill-marty').evaluate((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] !== data[0] || data[i + 1] !== data[1]) n++;
    return n / (data.length / 4);
  });
  assert.ok(ink > 0.01);
  await screenshot(page, 'amdahl-multicore-1280');
  await page.close();
});
