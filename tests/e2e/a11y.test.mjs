// End-to-end accessibility (issue #15): axe-core, injected from node_modules (no request leaves
// the page's origin), over every lesson route and every view of the multi-view lessons, in the
// light and the dark theme; no serious or critical violation is allowed. Then one real run:
// focus moves to Cancel when Run disables, back to Run when the run ends, and the results table
// that appears scrolls in a keyboard-reachable, labelled region (axe again, with the table).
// The routes come from docs/url-keys.json (generated from the lesson registry), so a new lesson
// is checked without editing this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { useApp, watch, screenshot, finishedRun } from './helpers.mjs';

const KEYS = JSON.parse(readFileSync(new URL('../../docs/url-keys.json', import.meta.url), 'utf8'));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** Every lesson route, plus `view=<v>` for each other value of a lesson's `view` choice. */
function pages() {
  const out = [];
  for (const [route, params] of Object.entries(KEYS.lessons)) {
    out.push({ route, query: '' });
    const view = params.find((p) => p.key === 'view' && p.kind === 'choice');
    for (const v of view ? view.values.split(',').map((s) => s.trim()) : []) {
      if (v !== view.default) out.push({ route, query: `view=${v}` });
    }
  }
  return out;
}

const env = useApp();

async function open(path, theme, width = 1280) {
  const page = await env.browser.newPage({ viewport: { width, height: 900 } });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const problems = watch(page, [env.url]);
  const sep = path.includes('?') ? '&' : '?';
  await page.goto(`${env.url}/#/${path}${sep}theme=${theme}`);
  await page.locator('[data-testid="env"][data-ready="ready"]').waitFor();
  await page.locator('main .lesson').first().waitFor();
  // Two frames: the lesson's first render and its canvases' draw.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return { page, problems };
}

/** Runs axe on the page; returns the serious and critical violations, one line per node. */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}: ${v.help}) at ${n}`));
}

for (const theme of ['light', 'dark']) {
  for (const { route, query } of pages()) {
    const path = `${route}${query ? `?${query}` : ''}`;
    test(`axe: #/${path} in the ${theme} theme has no serious or critical violations`, async () => {
      const { page, problems } = await open(path, theme);
      const found = await seriousViolations(page);
      assert.deepEqual(found, [], `#/${path} (${theme}):\n  ${found.join('\n  ')}`);
      assert.deepEqual(problems.errors, [], 'no console errors');
      assert.deepEqual(problems.foreign, [], 'axe and the page make no foreign requests');
      await page.close();
    });
  }
}

test('keyboard: focus moves to Cancel when Run disables, and back to Run when the run ends', async () => {
  const { page, problems } = await open('serial?size=large&reps=20', 'light');
  const run = page.getByTestId('run');
  await run.focus();
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="run-state"][data-state="running"]').waitFor();
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'cancel');
  assert.equal(await page.getByTestId('cancel').isDisabled(), false, 'Cancel is enabled while running');
  await page.keyboard.press('Enter'); // the focused Cancel
  await page.locator('[data-testid="run-state"][data-state="cancelled"]').waitFor();
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'run');
  assert.deepEqual(problems.errors, []);
  await page.close();
});

test('after a run: the results table scrolls in a labelled, focusable region (axe, light and dark, 360 px)', async () => {
  for (const theme of ['light', 'dark']) {
    const { page, problems } = await open('serial?size=small&reps=1&run=1', theme, 360);
    const done = await finishedRun(page);
    assert.equal(done.state, 'done', done.text);
    const wrap = page.locator('.table-wrap:has([data-testid="results"])');
    assert.equal(await wrap.getAttribute('tabindex'), '0');
    assert.equal(await wrap.getAttribute('role'), 'region');
    assert.ok((await wrap.getAttribute('aria-label'))?.length > 3, 'the region has a label');
    const scrolls = await wrap.evaluate((el) => el.scrollWidth > el.clientWidth);
    assert.ok(scrolls, 'at 360 px the table scrolls inside its region, not the page');
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(pageWidth <= 360, `the page itself does not scroll sideways (${pageWidth} px)`);
    await screenshot(page, `a11y-serial-results-360-${theme}`);
    const found = await seriousViolations(page);
    assert.deepEqual(found, [], `after a run (${theme}):\n  ${found.join('\n  ')}`);
    assert.deepEqual(problems.errors, []);
    await page.close();
  }
});
