// End-to-end: the SIMD lesson (issue 14) measures scalar vs simd128 on real pool threads, checks
// the answers, shows whether the speedups multiply, and links Flynn's classes to experiments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, watch, finishedRun, screenshot, inkFraction } from './helpers.mjs';

const env = useApp();

test('sum on 1 and 2 threads: scalar and simd128 rows, checks, combined speedups, plot', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/simd?kernel=sum&size=small&threads=1,2&reps=2&run=1`);
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  const variants = [...new Set(run.rows.map((r) => r.variant))];
  assert.deepEqual(variants, ['scalar', 'simd128']);
  for (const r of run.rows) {
    assert.ok(r.median_ms > 0 && r.min_ms <= r.median_ms && r.median_ms <= r.max_ms, JSON.stringify(r));
    assert.equal(r.lanes, r.variant === 'scalar' ? 1 : 4);
  }
  // Loose: four lanes of an addition chain gain something (the benchmark holds the target).
  const simd1 = run.rows.find((r) => r.variant === 'simd128' && r.threads === 1);
  assert.ok(simd1.simd_speedup > 1.0, `simd128 faster than scalar on 1 thread: ${simd1.simd_speedup}`);
  const combined = JSON.parse(await page.getByTestId('simd-combined').getAttribute('data-json'));
  const two = combined.find((c) => c.threads === 2);
  assert.ok(Math.abs(two.product - two.simd_speedup * two.thread_speedup) < 1e-9, 'product is the product');
  const checks = JSON.parse(await page.getByTestId('simd-checks').getAttribute('data-json'));
  assert.equal(checks.length, 2);
  for (const c of checks) assert.ok(c.abs_error <= c.bound || c.exact, JSON.stringify(c));
  assert.ok(await inkFraction(page, 'simd-plot') > 0.01, 'the plot is drawn');
  assert.equal(await page.getByTestId('flynn').locator('tbody tr').count(), 4);
  assert.ok(await page.getByTestId('flynn').locator('a[href="#/simd"]').count() >= 1);
  await screenshot(page, 'simd-1280');
  await page.setViewportSize({ width: 360, height: 800 });
  await page.waitForTimeout(300);
  await screenshot(page, 'simd-360');
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

test('saxpy and Mandelbrot give identical answers in both variants', async () => {
  for (const kernel of ['saxpy', 'mandelbrot']) {
    const page = await env.browser.newPage();
    const problems = watch(page, [env.url]);
    await page.goto(`${env.url}/#/simd?kernel=${kernel}&size=small&threads=1&reps=1&run=1`);
    const run = await finishedRun(page);
    assert.equal(run.state, 'done', `${kernel}: ${run.text}`);
    const checks = JSON.parse(await page.getByTestId('simd-checks').getAttribute('data-json'));
    for (const c of checks) assert.ok(c.exact && c.abs_error === 0, `${kernel}: ${JSON.stringify(c)}`);
    assert.deepEqual(problems.errors, []);
    await page.close();
  }
});

test('without shared memory the SIMD run ends unavailable, with an own-tab link', async () => {
  const page = await env.browser.newPage();
  await page.goto(`${env.url}/#/simd?mode=workers&pool=2&run=1`);
  const state = page.locator('[data-testid="run-state"][data-state="unavailable"]');
  await state.waitFor();
  assert.ok(await state.getByTestId('open-own-tab').count() === 1);
  await page.close();
});

test('a browser without WebAssembly SIMD gets a clear note, not a blank page', async () => {
  const page = await env.browser.newPage();
  // Pretend to be such a browser: the SIMD probe fails and the module cannot be compiled.
  await page.addInitScript(() => {
    WebAssembly.validate = () => false;
    const refuse = () => Promise.reject(new WebAssembly.CompileError('SIMD unsupported (simulated)'));
    WebAssembly.instantiate = refuse;
    WebAssembly.instantiateStreaming = refuse;
    WebAssembly.compile = refuse;
    WebAssembly.compileStreaming = refuse;
  });
  await page.goto(`${env.url}/#/simd`);
  const note = page.getByTestId('no-simd');
  await note.waitFor();
  assert.match(await note.textContent(), /SIMD/);
  await page.close();
});
