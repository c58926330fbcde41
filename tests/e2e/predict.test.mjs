// End-to-end: predictions before measured runs (issue #15). With ask=1 Run waits for a
// prediction (run=1 too); after a small real run "You predicted X — measured Y" shows the
// value of the results table; text that gives the answer away is folded until then.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, watch, finishedRun, screenshot } from './helpers.mjs';

const env = useApp();

/** A page on `hash` once the workers are ready. */
async function open(hash, viewport = { width: 1280, height: 900 }) {
  const page = await env.browser.newPage({ viewport });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/${hash}`);
  await page.locator('[data-testid="env"][data-ready="ready"]').waitFor();
  return { page, problems };
}

const resultJson = async (page) => JSON.parse(await page.getByTestId('predict-result').getAttribute('data-json'));

function healthy(problems) {
  assert.deepEqual(problems.errors, [], 'no console errors');
  assert.deepEqual(problems.foreign, [], 'no foreign requests');
}

test('serial, ask=1: Run waits for a prediction; the panel shows the measured speedup of the table', async () => {
  const { page, problems } = await open('#/serial?size=small&threads=1,2&reps=1&pool=2&ask=1');
  const run = page.getByTestId('run');
  assert.equal(await page.getByTestId('predict').getAttribute('data-required'), 'true');
  assert.ok(await run.isDisabled(), 'Run is disabled before a prediction');
  assert.match(await page.getByTestId('run-blocked').textContent(), /prediction/);
  assert.equal(await page.getByTestId('spoiler').getAttribute('data-state'), 'folded');
  assert.equal(await page.getByText('Why is the speedup less than the number of threads?').count(), 0,
    'the explanation is not in the page before the run');
  await screenshot(page, 'predict-serial-ask-1280');
  // A malformed guess keeps Run locked and says why.
  await page.getByTestId('predict-input').fill('lots');
  await page.getByTestId('predict-lock').click();
  await page.getByRole('alert').filter({ hasText: 'Enter a number' }).waitFor();
  assert.ok(await run.isDisabled());
  await page.getByTestId('predict-input').fill('1.8');
  await page.getByTestId('predict-input').press('Enter');
  await page.getByTestId('predict-locked').filter({ hasText: '1.80×' }).waitFor();
  assert.ok(await run.isEnabled(), 'Run unlocks once the prediction is in');
  assert.equal(await page.getByTestId('run-blocked').count(), 0);
  await run.click();
  const done = await finishedRun(page);
  assert.equal(done.state, 'done', done.text);
  const two = done.rows.find((r) => r.threads === 2);
  const json = await resultJson(page);
  assert.equal(json.predicted, 1.8);
  assert.equal(json.measured, two.speedup, 'the measured value is the results table\'s speedup');
  assert.ok(Math.abs(json.gap - (two.speedup - 1.8)) < 1e-12, `gap ${json.gap}`);
  const text = await page.getByTestId('predict-result').textContent();
  assert.ok(text.includes(`You predicted 1.80× — measured ${two.speedup.toFixed(2)}×`), text);
  assert.match(text, /2 threads were [\d.]+× as fast as 1 thread/);
  assert.equal(await page.getByTestId('spoiler').getAttribute('data-state'), 'shown');
  await page.getByText('Why is the speedup less than the number of threads?').waitFor();
  await screenshot(page, 'predict-serial-result-1280');
  await page.setViewportSize({ width: 360, height: 740 });
  await screenshot(page, 'predict-serial-result-360');
  healthy(problems);
  await page.close();
});

test('amdahl, ask=1 and run=1: the run waits for the prediction, then starts by itself', async () => {
  const { page, problems } = await open('#/amdahl?workload=pi&size=small&threads=1,2&reps=1&serial=0.3&pool=2&ask=1&run=1');
  const notes = (await page.getByTestId('url-note').allTextContents()).join(' ');
  assert.match(notes, /run=1 with ask=1: the run starts once you have entered your prediction/);
  assert.equal(await page.getByTestId('run-state').getAttribute('data-state'), 'idle', 'no run before a prediction');
  assert.ok(await page.getByTestId('run').isDisabled());
  await page.getByTestId('predict-input').fill('2');
  await page.getByTestId('predict-input').press('Enter');
  const done = await finishedRun(page);
  assert.equal(done.state, 'done', done.text);
  const two = done.rows.find((r) => r.threads === 2);
  const json = await resultJson(page);
  assert.equal(json.measured, two.speedup);
  const text = await page.getByTestId('predict-result').textContent();
  assert.match(text, /serial share measured in this run, \d+\.\d %/, text);
  healthy(problems);
  await page.close();
});

test('gil, ask=1: which mode is fastest (a choice); the GIL callout is folded until the run', async () => {
  const { page, problems } = await open('#/gil?workload=primes&size=small&threads=1,2&reps=1&pool=2&ask=1&theme=dark',
    { width: 360, height: 740 });
  assert.equal(await page.getByTestId('gil-explain').count(), 0, 'the callout is folded');
  assert.equal(await page.getByText('two threads take as long as one', { exact: false }).count(), 0);
  assert.ok(await page.getByTestId('run').isDisabled());
  await screenshot(page, 'predict-gil-ask-360-dark');
  const options = await page.getByTestId('predict-input').locator('option').evaluateAll((o) => o.map((x) => x.value));
  assert.deepEqual(options, ['', 'gil', 'free_threaded', 'processes']);
  await page.getByTestId('predict-input').selectOption('gil');
  await page.getByTestId('run').click();
  const done = await finishedRun(page);
  assert.equal(done.state, 'done', done.text);
  const at2 = done.rows.filter((r) => r.threads === 2);
  const fastest = at2.reduce((a, b) => (b.median_ms < a.median_ms ? b : a));
  const json = await resultJson(page);
  assert.equal(json.predicted, 'gil');
  assert.equal(json.measured, fastest.mode, 'the fastest mode of the results table');
  assert.equal(json.gap, null);
  assert.equal(json.close, fastest.mode === 'gil');
  assert.match(await page.getByTestId('predict-result').textContent(), /one lock holder at a time/);
  assert.match(await page.getByTestId('gil-explain').textContent(), /two threads take as\s+long as one/);
  await screenshot(page, 'predict-gil-result-360-dark');
  healthy(problems);
  await page.close();
});

test('without ask=1 the prediction is optional and folded; "show anyway" unfolds a spoiler', async () => {
  const { page, problems } = await open('#/gil?workload=primes&size=small&threads=1,2&reps=1&pool=2');
  assert.ok(await page.getByTestId('run').isEnabled(), 'Run needs no prediction');
  assert.equal(await page.getByTestId('predict').getAttribute('data-required'), 'false');
  assert.equal(await page.getByTestId('predict').evaluate((d) => d.open), false, 'folded');
  assert.ok(!(await page.getByTestId('predict-input').isVisible()));
  await page.getByTestId('spoiler-show').click();
  await page.getByTestId('gil-explain').waitFor();
  assert.equal(await page.getByTestId('spoiler').getAttribute('data-state'), 'shown');
  await screenshot(page, 'predict-optional-1280');
  healthy(problems);
  await page.close();
});

test('races, ask=1 and run=1: lost updates predicted, measured from the worst racy run', async () => {
  const { page, problems } = await open('#/races?k=2&m=100000&repeats=5&pool=2&ask=1&run=1');
  assert.equal(await page.getByTestId('run-state').first().getAttribute('data-state'), 'idle');
  assert.ok(await page.getByTestId('run').first().isDisabled());
  await page.getByTestId('predict-input').fill('1000');
  await page.getByTestId('predict-lock').click();
  const state = page.getByTestId('run-state').first();
  await state.and(page.locator('[data-state="done"],[data-state="error"]')).waitFor({ timeout: 120_000 });
  assert.equal(await state.getAttribute('data-state'), 'done');
  const rows = JSON.parse(await page.getByTestId('results').first().getAttribute('data-json'));
  const racy = rows.find((r) => r.variant === 'racy');
  const json = await resultJson(page);
  assert.equal(json.predicted, 1000);
  assert.equal(json.measured, racy.expected - racy.min_total);
  assert.match(await page.getByTestId('predict-result').textContent(), /depend on interleaving/);
  healthy(problems);
  await page.close();
});
