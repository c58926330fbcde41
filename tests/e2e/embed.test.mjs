// End-to-end: every lesson embedded in course notes (isolated or not), and plots that follow
// the window's size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servePage, ISOLATION_HEADERS } from '../serve.mjs';
import { useApp, watch, finishedRun } from './helpers.mjs';

const env = useApp();
const LESSONS = ['', 'serial', 'amdahl', 'cpu', 'gil', 'races'];

function notes(src, allow = '') {
  return `<!doctype html><html lang="en"><head><title>Notes</title></head><body>
    <h1>Course notes</h1><iframe src="${src}" width="1100" height="1400" ${allow}></iframe></body></html>`;
}

test('every lesson renders inside notes without COOP/COEP, in workers mode, without errors', async () => {
  for (const lesson of LESSONS) {
    const parent = await servePage(notes(`${env.url}/#/${lesson}?embed=1`));
    try {
      const page = await env.browser.newPage();
      const problems = watch(page, [env.url, parent.url]);
      await page.goto(parent.url);
      const frame = page.frameLocator('iframe');
      await frame.locator('.lesson h1').waitFor();
      const status = frame.getByTestId('env');
      assert.equal(await status.getAttribute('data-mode'), 'workers', lesson);
      assert.equal(await frame.locator('header.top').count(), 0, 'embed=1 hides the site chrome');
      assert.deepEqual(problems.errors, [], lesson);
      assert.deepEqual(problems.foreign, [], lesson);
      await page.close();
    } finally {
      parent.server.close();
    }
  }
});

test('the Amdahl lab measures for real inside non-isolated notes', async () => {
  const src = `${env.url}/#/amdahl?embed=1&workload=pi&size=small&threads=1,2&reps=2&run=1`;
  const parent = await servePage(notes(src));
  try {
    const page = await env.browser.newPage();
    await page.goto(parent.url);
    const run = await finishedRun(page.frameLocator('iframe'));
    assert.equal(run.state, 'done', run.text);
    assert.equal(run.rows[0].value, run.rows[1].value);
    assert.ok(run.rows[1].threads_used >= 2);
    await page.close();
  } finally {
    parent.server.close();
  }
});

test('an isolated parent that grants cross-origin-isolated gets threads mode', async () => {
  const parent = await servePage(notes(`${env.url}/#/serial?embed=1`, 'allow="cross-origin-isolated"'),
    { headers: ISOLATION_HEADERS });
  try {
    const page = await env.browser.newPage();
    await page.goto(parent.url);
    const status = page.frameLocator('iframe').getByTestId('env');
    await status.waitFor();
    assert.equal(await status.getAttribute('data-coi'), 'true');
    assert.equal(await status.getAttribute('data-mode'), 'threads');
    await page.close();
  } finally {
    parent.server.close();
  }
});

test('embed.html (Document-Isolation-Policy) gets threads inside non-isolated notes and says so', async () => {
  const src = `${env.url}/embed.html#/serial?embed=1&size=small&threads=1,2&reps=1&run=1`;
  const parent = await servePage(notes(src, 'allow="cross-origin-isolated"'));
  try {
    const page = await env.browser.newPage();
    const problems = watch(page, [env.url, parent.url]);
    await page.goto(parent.url);
    const frame = page.frameLocator('iframe');
    const status = frame.getByTestId('env');
    await status.waitFor();
    // Chromium >= 137 honours the policy; the page reports either outcome.
    assert.equal(await status.getAttribute('data-dip'), 'isolated');
    assert.equal(await status.getAttribute('data-mode'), 'threads');
    await frame.getByText('Isolated by Document-Isolation-Policy').waitFor();
    const run = await finishedRun(frame);
    assert.equal(run.state, 'done', run.text);
    assert.equal(run.rows[0].value, run.rows[1].value);
    // The same page without the policy (index.html) keeps the workers fallback: tested above.
    assert.deepEqual(problems.errors, []);
    assert.deepEqual(problems.foreign, []);
    await page.close();
  } finally {
    parent.server.close();
  }
});

test('plots redraw at the new size when the window is resized', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${env.url}/#/amdahl`);
  const plot = page.getByTestId('speedup-plot');
  await plot.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="speedup-plot"]').width > 300);
  const wide = await plot.evaluate((c) => c.width);
  await page.setViewportSize({ width: 600, height: 900 });
  await page.waitForFunction((w) => document.querySelector('[data-testid="speedup-plot"]').width < w, wide);
  await page.close();
});
