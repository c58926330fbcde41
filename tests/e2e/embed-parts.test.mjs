// End-to-end: what an instructor embeds (issue 12): one part of a lesson (`section=`), controls
// shown read-only (`lock=`) or hidden (`hide=`), the Embed dialog that offers them with a measured
// height, and experiments that cannot run here ending in `unavailable` with a way out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servePage } from '../serve.mjs';
import { useApp, watch, screenshot } from './helpers.mjs';

const env = useApp();

async function open(hash, viewport = { width: 1280, height: 900 }) {
  const page = await env.browser.newPage({ viewport });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/${hash}`);
  await page.locator('[data-testid="env"][data-ready="ready"]').waitFor();
  return { page, problems };
}

const visible = (page, selector) => page.locator(selector).first().isVisible();

test('section=explorer shows only the interleaving explorer of the races lesson', async () => {
  const { page, problems } = await open('#/races?embed=1&section=explorer');
  try {
    await page.getByTestId('explorer-preset').waitFor();
    assert.ok(await visible(page, '[data-section="explorer"]'), 'the explorer is shown');
    assert.equal(await visible(page, '[data-section="race"]'), false, 'the race is hidden');
    assert.equal(await visible(page, '[data-section="deadlock"]'), false, 'the deadlock is hidden');
    assert.equal(await visible(page, '.lesson > h1'), false, 'the lesson title is hidden');
    assert.match(page.url(), /section=explorer/, 'the section stays in the URL');
    await screenshot(page, 'embed-section-explorer');
    assert.deepEqual(problems.errors, []);
  } finally { await page.close(); }
});

test('section=<view> of the CPU lab and the Amdahl lab shows that view without the tabs', async () => {
  for (const [route, id, testid] of [['cpu', 'smt', 'smt-strip'], ['amdahl', 'multicore', 'hm-f']]) {
    const { page, problems } = await open(`#/${route}?embed=1&section=${id}`);
    try {
      await page.getByTestId(testid).waitFor();
      assert.match(page.url(), new RegExp(`view=${id}`), `${route}: the view follows the section`);
      assert.equal(await visible(page, '.lesson > .tabs'), false, `${route}: tabs hidden`);
      assert.deepEqual(problems.errors, []);
    } finally { await page.close(); }
  }
});

test('lock= makes controls read-only, hide= hides them, unknown values get a note', async () => {
  const { page, problems } = await open('#/amdahl?pool=2&lock=p,workload&hide=reps,schedule&section=nope');
  try {
    await page.getByTestId('workload').waitFor();
    const inert = (id) => page.getByTestId(id).evaluate((el) => el.closest('[inert]') !== null);
    assert.ok(await inert('p'), 'p is read-only');
    assert.ok(await inert('workload'), 'workload is read-only');
    assert.equal(await inert('size'), false, 'size stays editable');
    assert.equal(await page.getByTestId('reps').isVisible(), false, 'reps hidden');
    assert.equal(await page.getByTestId('schedule').isVisible(), false, 'schedule hidden');
    // Read-only means the keyboard cannot change it either.
    const before = new URL(page.url()).hash;
    await page.getByTestId('p').focus().catch(() => {});
    await page.keyboard.press('ArrowRight');
    assert.equal(new URL(page.url()).hash, before, 'a locked slider does not move');
    const notes = await page.locator('[data-testid="url-note"] li').allTextContents();
    assert.ok(notes.some((n) => n.startsWith('section=nope')), `a note names the section: ${notes}`);
    assert.deepEqual(problems.errors, []);
  } finally { await page.close(); }
});

test('the Embed dialog offers a part and read-only controls, with a measured height', async () => {
  const { page, problems } = await open('#/races?k=2');
  try {
    await page.getByTestId('explorer-preset').waitFor();
    await page.getByTestId('embed').click();
    const snippet = page.getByTestId('embed-snippet');
    const whole = Number(await snippet.getAttribute('data-height'));
    await page.getByTestId('embed-part').selectOption('explorer');
    await page.getByTestId('embed-controls').selectOption('lock');
    const code = await snippet.inputValue();
    assert.match(code, /embed\.html#\/races\?/);
    assert.match(code, /section=explorer/);
    assert.match(code, /lock=all/);
    assert.match(code, /embed=1/);
    const part = Number(await snippet.getAttribute('data-height'));
    assert.match(code, new RegExp(`height="${part}"`));
    assert.ok(part >= 300 && part < whole, `the part (${part} px) is shorter than the lesson (${whole} px)`);
    assert.match(await page.getByTestId('embed-script').inputValue(), /parlab:height/);
    assert.deepEqual(problems.errors, []);
  } finally { await page.close(); }
});

test('where shared memory is missing, run=1 ends in unavailable with an Open-in-its-own-tab link', async () => {
  const notes = `<!doctype html><html lang="en"><head><title>Notes</title></head><body>
    <iframe src="${env.url}/#/races?embed=1&k=2&m=10000&run=1" width="1100" height="1400"></iframe></body></html>`;
  const parent = await servePage(notes);
  try {
    const page = await env.browser.newPage();
    const problems = watch(page, [env.url, parent.url]);
    await page.goto(parent.url);
    const frame = page.frameLocator('iframe');
    const state = frame.locator('[data-testid="run-state"][data-state="unavailable"]');
    await state.waitFor();
    assert.match(await state.textContent(), /share memory/);
    const link = frame.locator('[data-testid="run-state"] [data-testid="open-own-tab"]');
    const href = await link.getAttribute('href');
    assert.match(href, /index\.html#\/races\?/, href);
    assert.match(href, /k=2/, 'the settings are kept');
    assert.match(href, /embed=0/, 'the lesson opens with the site around it');
    assert.equal(await link.getAttribute('target'), '_blank');
    const deadlock = frame.locator('[data-testid="deadlock-state"]');
    assert.equal(await deadlock.getAttribute('data-state'), 'unavailable');
    assert.deepEqual(problems.errors, []);
    await page.close();
  } finally { parent.server.close(); }
});
