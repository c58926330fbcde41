// End-to-end: results travel. A real measured run (Amdahl lab, Monte-Carlo π, small) is saved
// with the lesson's own Download JSON / CSV buttons (Playwright's download event), then fed to
// #/compare with setInputFiles and a drop; the overlay and the per-machine tables are checked
// through their data-json. The second "machine" is the same export with another label (one
// machine is all a test has), the third the CSV of the same run; one file is not an export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { useApp, watch, screenshot, finishedRun, inkFraction, OUTPUT } from './helpers.mjs';

const env = useApp();

/** Clicks `testid` and returns the downloaded file's name and text. */
async function download(page, testid) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: dl.suggestedFilename(), text: readFileSync(await dl.path(), 'utf8') };
}

const file = (name, text, mimeType) => ({ name, mimeType, buffer: Buffer.from(text) });

/** Real exports of one small Amdahl run (JSON and CSV) and its result rows. */
async function exportRun(page, extra = '') {
  await page.goto(`${env.url}/#/amdahl?workload=pi&size=small&threads=1,2&reps=1&run=1${extra}`);
  const run = await finishedRun(page);
  assert.equal(run.state, 'done', run.text);
  await page.getByTestId('machine-label').fill('Lab PC');
  const json = await download(page, 'download-json');
  const csv = await download(page, 'download-csv');
  return { run, json, csv };
}

/** A picture of the lesson's download row (machine name, buttons, compare link). */
async function shootDownloads(page, name) {
  mkdirSync(OUTPUT, { recursive: true });
  await page.locator('.downloads').screenshot({ path: join(OUTPUT, `${name}.png`) });
}

test('a real run exported as JSON and CSV carries the machine block and the rows', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [env.url]);
  const { run, json, csv } = await exportRun(page);
  await shootDownloads(page, 'downloads-light-1280');
  assert.equal(json.name, 'parlab-amdahl-pi.json');
  assert.equal(csv.name, 'parlab-amdahl-pi.csv');
  const e = JSON.parse(json.text);
  assert.equal(e.format, 'parlab-results');
  assert.equal(e.version, 1);
  assert.equal(e.lesson, 'amdahl');
  assert.match(e.class, /^amdahl\/monte-carlo-π-small\//);
  assert.match(e.settings, /workload=pi/);
  assert.match(e.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const envBar = page.getByTestId('env');
  const m = e.machine;
  assert.equal(m.label, 'Lab PC');
  assert.equal(m.mode, await envBar.getAttribute('data-mode'));
  assert.equal(String(m.pool), await envBar.getAttribute('data-pool'));
  assert.equal(String(m.reported_cores), await envBar.getAttribute('data-cores'));
  assert.equal(m.measured_cores === null ? null : String(m.measured_cores), await envBar.getAttribute('data-measured'));
  assert.match(m.browser, /Chrom/);
  assert.equal(m.engine, 'V8');
  assert.equal(m.os, 'Linux');
  assert.equal(m.cross_origin_isolated, true);
  assert.ok(m.user_agent.length > 20);
  assert.deepEqual(e.rows, run.rows, 'the file holds exactly the table\'s rows');
  assert.deepEqual(e.details.threads, [1, 2]);
  const lines = csv.text.trim().split('\n');
  assert.equal(lines[0], '# format,parlab-results');
  assert.ok(lines.includes('# machine.label,Lab PC'));
  const header = lines.find((l) => !l.startsWith('#'));
  assert.ok(header.startsWith('threads,median_ms,min_ms,max_ms,reps,speedup'), header);
  assert.equal(lines.filter((l) => !l.startsWith('#')).length, 1 + run.rows.length);
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

test('#/compare overlays the files, one table per machine, a message for a bad file', async () => {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [env.url]);
  const { run, json, csv } = await exportRun(page);
  const other = JSON.parse(json.text);
  other.machine.label = 'Other machine';
  await page.goto(`${env.url}/#/compare`);
  await page.getByTestId('compare-files').setInputFiles([
    file('lab.json', json.text, 'application/json'),
    file('other.json', JSON.stringify(other), 'application/json'),
    file('lab.csv', csv.text, 'text/csv'),
    file('notes.json', '{"hello": 1}', 'application/json'),
  ]);
  const files = page.getByTestId('compare-file');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="compare-file"]')]
    .every((f) => f.dataset.status !== 'reading'));
  assert.deepEqual(await files.evaluateAll((fs) => fs.map((f) => [f.dataset.name, f.dataset.status])),
    [['lab.json', 'ok'], ['other.json', 'ok'], ['lab.csv', 'ok'], ['notes.json', 'error']]);
  assert.match(await files.nth(3).textContent(), /Not used: not a parlab results file/);

  const plot = page.getByTestId('compare-plot');
  const curves = JSON.parse(await plot.getAttribute('data-json'));
  assert.deepEqual(curves.map((c) => c.label), ['Lab PC (1)', 'Other machine', 'Lab PC (2)']);
  const expected = run.rows.map((r) => [r.threads, r.speedup]);
  for (const c of curves) assert.deepEqual(c.points, expected, `${c.label}: the run's (threads, speedup)`);
  assert.ok(await inkFraction(page, 'compare-plot') > 0.01, 'the overlay is drawn');

  const tables = page.getByTestId('compare-machine');
  assert.equal(await tables.count(), 3);
  const summaries = await tables.evaluateAll((ts) => ts.map((t) => JSON.parse(t.dataset.json)));
  assert.deepEqual(summaries.map((s) => s.machine.label), ['Lab PC', 'Other machine', 'Lab PC']);
  for (const s of summaries) {
    assert.equal(s.lesson, 'amdahl');
    assert.equal(s.machine.engine, 'V8');
    assert.deepEqual(s.results[0].threads, [1, 2]);
    assert.equal(s.results[0].best_speedup, Math.max(...run.rows.map((r) => r.speedup)));
  }
  assert.match(await tables.first().textContent(), /Best speedup/);
  await screenshot(page, 'compare-light-1280');

  // A dropped file joins the others; removing files takes their curves away.
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    document.querySelector('[data-testid="compare-drop"]')
      .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, json.text);
  await page.locator('[data-testid="compare-file"][data-name="dropped.json"][data-status="ok"]').waitFor();
  assert.equal(await tables.count(), 4);
  await page.getByRole('button', { name: 'Remove other.json' }).click();
  await page.getByRole('button', { name: 'Remove dropped.json' }).click();
  const left = JSON.parse(await plot.getAttribute('data-json'));
  assert.deepEqual(left.map((c) => c.label), ['Lab PC (1)', 'Lab PC (2)']);
  await page.getByTestId('compare-clear').click();
  assert.equal(await files.count(), 0);
  assert.equal(await plot.count(), 0);
  assert.deepEqual(problems.errors, []);
  assert.deepEqual(problems.foreign, []);
  await page.close();
});

test('#/compare at 360 px in the dark theme, with CSV only and a broken CSV', async () => {
  const page = await env.browser.newPage({ viewport: { width: 360, height: 780 } });
  const problems = watch(page, [env.url]);
  const { csv } = await exportRun(page, '&theme=dark');
  await shootDownloads(page, 'downloads-dark-360');
  const relabelled = csv.text.replace('# machine.label,Lab PC', '# machine.label,Phone (Chrome)');
  await page.goto(`${env.url}/#/compare?theme=dark`);
  await page.reload();
  await page.getByTestId('compare-files').setInputFiles([
    file('lab.csv', csv.text, 'text/csv'),
    file('phone.csv', relabelled, 'text/csv'),
    file('broken.csv', csv.text.replace('# machine.pool,', '# machine.pool,many'), 'text/csv'),
  ]);
  await page.locator('[data-testid="compare-file"][data-name="broken.csv"][data-status="error"]').waitFor();
  assert.match(await page.locator('[data-name="broken.csv"]').textContent(), /machine\.pool/);
  const curves = JSON.parse(await page.getByTestId('compare-plot').getAttribute('data-json'));
  assert.deepEqual(curves.map((c) => c.label), ['Lab PC', 'Phone (Chrome)']);
  assert.ok(await inkFraction(page, 'compare-plot') > 0.01);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `no horizontal scrolling at 360 px (${overflow} px)`);
  await screenshot(page, 'compare-dark-360');
  await page.getByTestId('compare-plot').screenshot({ path: join(OUTPUT, 'compare-plot-dark-360.png') });
  assert.deepEqual(problems.errors, []);
  await page.close();
});
