// End-to-end: challenges with win conditions. An explorer level is won by a scripted schedule,
// its progress survives a reload (localStorage `parlab.challenges`), levels open in order and
// reset; a measured level (Amdahl's serial share) is judged on the run's real numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, watch, screenshot, finishedRun } from './helpers.mjs';

const env = useApp();

const level = (page, id) => page.locator(`[data-testid="challenge"][data-level="${id}"]`);
const stored = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('parlab.challenges') ?? '{}'));

async function play(page, preset, schedule) {
  await page.getByTestId('explorer-preset').selectOption(preset);
  for (const t of schedule) await page.getByTestId(`step-${t}`).click();
}

test('explorer ladder: solved by scripted schedules, kept over a reload, opened in order, reset', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/races?preset=deadlock`);
  await level(page, 'lost-update').waitFor();
  assert.equal(await level(page, 'lost-update').getAttribute('data-state'), 'open');
  assert.equal(await level(page, 'deadlock').getAttribute('data-state'), 'locked');
  // A deadlock reached while its level is still locked (the explorer's ladder) does not count.
  for (const t of [0, 1]) await page.getByTestId(`step-${t}`).click();
  assert.equal(await page.getByTestId('explorer-outcome').getAttribute('data-outcome'), 'deadlock');
  assert.equal(await level(page, 'deadlock').getAttribute('data-solved'), 'false');

  // Level 1: lose an update.
  await play(page, 'counter', [0, 1, 0, 1]);
  await page.locator('[data-testid="challenge"][data-level="lost-update"][data-solved="true"]').waitFor();
  assert.match(await level(page, 'lost-update').getByTestId('challenge-proof').textContent(), /counter = 1/);
  assert.equal(await level(page, 'overdraft').getAttribute('data-state'), 'open');
  assert.deepEqual(Object.keys(await stored(page)), ['lost-update']);

  // Progress survives a reload.
  await page.reload();
  await level(page, 'lost-update').waitFor();
  assert.equal(await level(page, 'lost-update').getAttribute('data-solved'), 'true');
  assert.equal(await page.getByTestId('challenges').getAttribute('data-solved'), '1');

  // Levels 2-4: overdraw, deadlock, prove the lock by exploring every schedule.
  await play(page, 'check-then-act', [0, 1, 0, 0, 0, 1, 1, 1]);
  await page.locator('[data-level="overdraft"][data-solved="true"]').waitFor();
  await play(page, 'deadlock', [0, 1]);
  await page.locator('[data-level="deadlock"][data-solved="true"]').waitFor();
  await play(page, 'counter-locked', []);
  assert.equal(await level(page, 'prove-lock').getAttribute('data-solved'), 'false');
  await page.getByTestId('explore-all').click();
  await page.locator('[data-level="prove-lock"][data-solved="true"]').waitFor();
  assert.match(await level(page, 'prove-lock').textContent(), /All \d+ schedules explored; none fails/);
  assert.deepEqual(Object.keys(await stored(page)).sort(), ['deadlock', 'lost-update', 'overdraft', 'prove-lock']);
  await screenshot(page, 'challenges-races-1280');
  await page.setViewportSize({ width: 360, height: 800 });
  await page.getByTestId('challenges').scrollIntoViewIfNeeded();
  await screenshot(page, 'challenges-races-360');

  // The overview's card counts the solved levels.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${env.url}/#/`);
  await page.locator('[data-testid="challenge-summary"][data-lesson="races"][data-solved="4"]').waitFor();
  assert.equal(await page.locator('[data-testid="challenge-summary"][data-lesson="amdahl"]').getAttribute('data-solved'), '0');
  await page.goto(`${env.url}/#/races?preset=counter`);
  await page.locator('[data-testid="challenges"][data-solved="4"]').waitFor();
  await page.getByTestId('challenges-reset').click();
  await page.locator('[data-testid="challenges"][data-solved="0"]').waitFor();
  assert.deepEqual(await stored(page), {});
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

test('amdahl: the serial-share level is judged on the real measured 2-thread speedup', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/amdahl?workload=pi&size=small&threads=1,2&reps=3&serial=0.33&run=1&theme=dark`);
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  const s2 = run.rows.find((r) => r.threads === 2).speedup;
  const won = s2 >= 1.35 && s2 <= 1.65;
  console.log(`amdahl: 2-thread speedup ${s2.toFixed(3)} with serial share 0.33 → ${won ? 'solved' : 'not solved'}`);
  const cap = level(page, 'amdahl-cap');
  await page.locator(`[data-level="amdahl-cap"][data-solved="${won}"]`).waitFor();
  const progress = await stored(page);
  assert.equal('amdahl-cap' in progress, won);
  if (won) {
    assert.match(await cap.getByTestId('challenge-proof').textContent(), new RegExp(`Measured ${s2.toFixed(2)}×`));
  }
  await cap.scrollIntoViewIfNeeded();
  await screenshot(page, 'challenges-amdahl-dark-1280');
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test('simd: the big-win level agrees with the run\'s measured SIMD gain; one kernel is not a tour', async () => {
  const page = await env.browser.newPage({ viewport: { width: 360, height: 800 } });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/simd?kernel=sum&size=small&threads=1&reps=2&run=1`);
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  const gains = run.rows.filter((r) => r.threads === 1 && r.variant !== 'scalar').map((r) => r.simd_speedup);
  const gain = Math.max(...gains);
  console.log(`simd: sum gains ${gain.toFixed(2)}× at 1 thread`);
  await page.locator(`[data-level="simd-big"][data-solved="${gain >= 2}"]`).waitFor();
  assert.equal(await level(page, 'simd-least').getAttribute('data-solved'), 'false');
  await level(page, 'simd-big').scrollIntoViewIfNeeded();
  await screenshot(page, 'challenges-simd-360');
  assert.deepEqual(problems.errors, []);
  await page.close();
});
