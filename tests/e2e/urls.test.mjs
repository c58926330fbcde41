// End-to-end: every lesson's controls live in the URL (conventions.md, issue #7).
// For each lesson (and each view of the Amdahl and CPU labs):
//   1. URL → controls: a link with a non-default value for every key restores every control;
//   2. controls → URL: changing each control through the UI rewrites that key (replaceState);
//   3. round trip: the resulting URL opened in a fresh page gives the same controls and hash;
//   4. malformed and out-of-range values are replaced or clamped with a url-note naming the key;
//   5. keyboard only: Tab to a slider, arrow keys change the URL and what the slider drives.
// `extra` subtests pin bugs this suite found (each `reason` says what was wrong).
// No measured runs are started. The keys each lesson declares come from docs/url-keys.json,
// generated from the parameter tables in the code: the first tests fail when a declared key has
// no spec here (or a spec tests an undeclared key), and when a lesson opened without a query
// writes other keys or defaults than its table documents.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { useApp, watch } from './helpers.mjs';

const KEYS = JSON.parse(readFileSync(new URL('../../docs/url-keys.json', import.meta.url), 'utf8'));

const env = useApp();

// ---------------------------------------------------------------------------------------------
// URL helpers

/** The value of `key` in a `#/route?query` hash (the last one wins, as in url.rs), or null. */
function param(hash, key) {
  const all = new URLSearchParams(hash.split('?')[1] ?? '').getAll(key);
  return all.length ? all.at(-1) : null;
}

const hashOf = (page) => page.evaluate(() => location.hash);

/** Waits (no fixed sleep) until `key` in location.hash is no longer `old`; returns the new value. */
async function hashChange(page, key, old, timeout) {
  await page.waitForFunction(([k, o]) => {
    const all = new URLSearchParams(location.hash.split('?')[1] ?? '').getAll(k);
    return (all.length ? all.at(-1) : null) !== o;
  }, [key, old], timeout ? { timeout } : undefined);
  return param(await hashOf(page), key);
}

/** Exact for strings; numbers within `tol` when a tolerance is given (float formatting). */
function assertValue(actual, expected, tol, what) {
  const ok = tol === undefined
    ? actual === String(expected)
    : actual !== null && Math.abs(Number(actual) - Number(expected)) <= tol + 1e-12;
  assert.ok(ok, `${what}: got ${actual}, expected ${expected}${tol !== undefined ? ` (± ${tol})` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Page helpers

/** A fresh page on `#/<route>?<query>`, once the workers are ready and `ready` is shown. */
async function openLesson(route, query, ready) {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const problems = watch(page, [env.url]);
  await page.goto(`${env.url}/#/${route}${query ? `?${query}` : ''}`);
  await page.locator('[data-testid="env"][data-ready="ready"]').waitFor();
  await page.getByTestId(ready).first().waitFor();
  return { page, problems };
}

/** Every line of every url-note on the page. */
const noteLines = (page) => page.locator('[data-testid="url-note"] li').allTextContents();

/** A url-note line names `key` (notes read `key=raw …`, or `series: …` for list items). */
function assertNoted(lines, key) {
  assert.ok(lines.some((l) => l.startsWith(`${key}=`) || l.startsWith(`${key}:`)),
    `a url-note names ${key}: ${JSON.stringify(lines)}`);
}

/** No error banner, no console errors, no foreign requests. */
async function assertHealthy(page, problems, what) {
  assert.equal(await page.getByTestId('error').count(), 0, `${what}: no error banner`);
  assert.deepEqual(problems.errors, [], `${what}: no console errors`);
  assert.deepEqual(problems.foreign, [], `${what}: no foreign requests`);
}

/** Presses Tab until `target` has the focus (at most `max` presses); returns the count. */
async function tabTo(page, target, max = 200) {
  const handle = await target.elementHandle();
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((el) => document.activeElement === el, handle)) return i;
  }
  return assert.fail(`the element is not reached with ${max} Tab presses`);
}

/** Waits until a canvas has been drawn (not one flat colour). */
async function waitForInk(page, canvas) {
  await page.waitForFunction((c) => {
    if (!c.width || !c.height) return false;
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    for (let i = 4; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) return true;
    }
    return false;
  }, canvas);
}

// ---------------------------------------------------------------------------------------------
// Controls: each knows its URL key, how to check that the DOM shows a URL value (`show`) and how
// to change it through the UI (`change`, returning the URL value the change must produce).

const byId = (id) => (page) => page.getByTestId(id);
/** The slider with no test id: the shared "Repetitions: N" slider of RunControls, by its label. */
const repsSlider = (page) => page.getByLabel(/^Repetitions: \d+/);

/** The number a label shows (`re` captures it; thousands separators ignored). */
async function labelNumber(input, re) {
  const text = await input.locator('xpath=ancestor::label[1]').textContent();
  const m = text.match(re);
  assert.ok(m, `label "${text}" matches ${re}`);
  return Number(m[1].replace(/[^\d.-]/g, ''));
}

function select(key, loc, next) {
  return {
    key,
    async show(page, v) { assert.equal(await loc(page).inputValue(), v, `${key}: <select> shows ${v}`); },
    async change(page) { await loc(page).selectOption(next); return next; },
  };
}

/**
 * A range input. `pos(v)` is the slider position for the URL value v (`posTol` allows the
 * browser's step snapping); `readout` captures the value the label shows (× `scale`, within
 * `readTol`); `after(v)` is the URL value after one press of `press`, compared within `tol`.
 */
function range(key, loc, { pos = (v) => v, posTol = 1e-9, readout, scale = 1, readTol = 1e-9, tol, press = 'ArrowRight', after }) {
  return {
    key, tol, loc,
    async show(page, v) {
      const at = Number(await loc(page).inputValue());
      const want = pos(Number(v));
      assert.ok(Math.abs(at - want) <= posTol + 1e-9, `${key}: slider at ${at}, expected ${want} (± ${posTol}) for ${v}`);
      if (readout) {
        const shown = await labelNumber(loc(page), readout);
        assert.ok(Math.abs(shown - Number(v) * scale) <= readTol + 1e-9, `${key}: label shows ${shown} for ${v}`);
      }
    },
    async change(page, v) {
      await loc(page).focus();
      await page.keyboard.press(press);
      return String(after(Number(v)));
    },
  };
}

function checkbox(key, loc, { on = '1', off = '0' } = {}) {
  return {
    key,
    async show(page, v) { assert.equal(await loc(page).isChecked(), v === on, `${key}=${v}: checkbox state`); },
    async change(page, v) { await loc(page).click(); return v === on ? off : on; },
  };
}

/** Checkbox chips for a comma list (`threads-<k>`, `mode-<m>`, `series-<s>`); `flip` is toggled. */
function chips(key, prefix, choices, flip) {
  const list = (v) => (v ? v.split(',') : []);
  return {
    key,
    async show(page, v) {
      for (const c of choices) {
        assert.equal(await page.getByTestId(`${prefix}${c}`).isChecked(), list(v).includes(String(c)),
          `${key}=${v}: chip ${prefix}${c}`);
      }
    },
    async change(page, v) {
      await page.getByTestId(`${prefix}${flip}`).click();
      const now = new Set(list(v));
      if (now.has(String(flip))) now.delete(String(flip)); else now.add(String(flip));
      return choices.map(String).filter((c) => now.has(c)).join(',');
    },
  };
}

/** A view tab (`final`: changed after the round-trip URL is taken, since it swaps the controls). */
function tab(key, loc, next) {
  return {
    key, final: true,
    async show(page, v) { assert.equal(await loc(page, v).getAttribute('aria-selected'), 'true', `${key}=${v}: tab selected`); },
    async change(page) { await loc(page, next).click(); return next; },
  };
}

/** A number field committed on change (trends' years): ArrowUp, then Enter. */
function yearField(key, id) {
  return {
    key,
    async show(page, v) { assert.equal(await page.getByTestId(id).inputValue(), v, `${key}: field shows ${v}`); },
    async change(page, v) {
      await page.getByTestId(id).focus();
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('Enter');
      return String(Number(v) + 1);
    },
  };
}

// Slider position maps of the Amdahl lab (crates/app/src/lessons/amdahl/view.rs).
const pPos = (p) => Math.min(1000, Math.max(0, (-1000 / 3) * Math.log10(Math.max(1 - p, 1e-3))));
const pAt = (x) => 1 - 10 ** ((-3 * x) / 1000);
const nPos = (n) => Math.round(Math.round(Math.log2(n) * 100) / 10) * 10; // snapped to step 10

// ---------------------------------------------------------------------------------------------
// The lessons

const THREADS = [1, 2, 4]; // pool=4 in every measured lesson's URL: chips 1, 2, 4 on any machine

const SPECS = [
  {
    name: 'overview (#/)',
    route: '',
    ready: 'overview-p',
    open: 'p=0.95&n=8&v=1.1&slow=1000',
    tol: { p: 5e-5, v: 5e-4 },
    controls: [
      range('p', byId('overview-p'), { pos: pPos, posTol: 0.5, readout: /p = ([\d.]+)/, readTol: 5e-4, tol: 6e-5,
        after: (p) => Number(pAt(Math.round(pPos(p)) + 1).toFixed(4)) }),
      // (No readout: the label runs on into its hint, "8" + "16 logical CPUs".)
      range('n', byId('overview-n'), { after: (n) => n + 1 }),
      range('v', byId('overview-v'), { readout: /V = ([\d.]+) V/, readTol: 5e-4, tol: 1.1e-3, after: (v) => v + 0.005 }),
    ],
    // `slow` is the die's replay speed: tests/e2e/overview.test.mjs and die.test.mjs drive it.
    covered: ['slow'],
    bad: [
      { query: 'p=2&n=999&v=abc&slow=3', expect: { p: '1', n: '32', v: '1.2', slow: '100' } },
    ],
    keyboard: { slider: byId('overview-n'), key: 'n', drives: 'label' },
  },
  {
    name: 'simd (#/simd)',
    route: 'simd',
    ready: 'kernel',
    open: 'pool=4&kernel=mandelbrot&size=large&threads=1,2&reps=7',
    controls: [
      select('kernel', byId('kernel'), 'dot'),
      select('size', byId('size'), 'small'),
      chips('threads', 'threads-', THREADS, 4),
      range('reps', repsSlider, { readout: /Repetitions: (\d+)/, after: (v) => v + 1 }),
    ],
    bad: [
      { query: 'pool=4&kernel=fft&size=huge&threads=x&reps=abc', expect: { kernel: 'sum', size: 'medium', threads: '1,2,4', reps: '3' } },
    ],
    keyboard: { slider: repsSlider, key: 'reps', drives: 'label' },
  },
  {
    name: 'machine (#/machine)',
    route: 'machine',
    ready: 'extent',
    open: 'extent=quick',
    controls: [select('extent', byId('extent'), 'full')],
    bad: [{ query: 'extent=forever', expect: { extent: 'full' } }],
    // One select and no slider: the keyboard subtest has nothing to drive here.
    keyboard: null,
  },
  {
    name: 'serial (#/serial)',
    route: 'serial',
    ready: 'size',
    open: 'pool=4&size=large&threads=1,2&reps=7',
    controls: [
      select('size', byId('size'), 'small'),
      chips('threads', 'threads-', THREADS, 4),
      range('reps', repsSlider, { readout: /Repetitions: (\d+)/, after: (v) => v + 1 }),
    ],
    bad: [
      { query: 'pool=4&size=huge&threads=x&reps=abc', expect: { size: 'medium', threads: '1,4', reps: '3' } },
      { query: 'pool=4&threads=0,9&reps=99', expect: { threads: '1,4', reps: '20' } },
    ],
    keyboard: { slider: repsSlider, key: 'reps', drives: 'label' },
  },
  {
    name: 'amdahl, view=measure (#/amdahl)',
    route: 'amdahl',
    ready: 'workload',
    open: 'pool=4&view=measure&p=0.95&n=12&log=1&scaled=1&workload=pi&size=small&schedule=static&serial=0.2&threads=1,2&reps=7&hm_f=0.9&hm_n=64&hm_r=4',
    tol: { p: 5e-5, serial: 5e-3, hm_f: 5e-4 },
    controls: [
      range('p', byId('p'), { pos: pPos, posTol: 0.5, readout: /p = ([\d.]+)/, readTol: 5e-4, tol: 6e-5,
        after: (p) => pAt(Math.round(pPos(p)) + 1) }),
      range('n', byId('n'), { pos: nPos, posTol: 0.5, readout: /N = (\d+)/,
        after: (n) => Math.min(1024, Math.round(2 ** ((nPos(n) + 10) / 100))) }),
      checkbox('log', byId('log')),
      checkbox('scaled', byId('scaled')),
      select('workload', byId('workload'), 'matmul'),
      select('size', byId('size'), 'large'),
      select('schedule', byId('schedule'), 'dynamic'),
      range('serial', byId('serial'), { readout: /Injected serial share[^:]*: (\d+) %/, scale: 100, readTol: 0.5, tol: 5e-3,
        after: (s) => Math.round((s + 0.05) * 100) / 100 }),
      chips('threads', 'threads-', THREADS, 4),
      range('reps', repsSlider, { readout: /Repetitions: (\d+)/, after: (v) => v + 1 }),
      tab('view', (page, v) => page.getByRole('tab', { name: v === 'measure' ? 'Measure on this device' : /Multicore design/ }), 'multicore'),
    ],
    bad: [
      { query: 'pool=4&view=nope&p=abc&n=x&serial=y&reps=z&threads=q&workload=nope&size=nope&schedule=nope',
        expect: { view: 'measure', p: '0.9', n: '16', serial: '0', reps: '5', threads: '1,2,4', workload: 'mandelbrot', size: 'medium', schedule: 'dynamic' } },
      { query: 'pool=4&p=1.5&n=5000&serial=0.95&reps=0&threads=0,9',
        expect: { p: '1', n: '1024', serial: '0.9', reps: '1', threads: '1,4' }, show: ['n', 'serial', 'reps', 'threads'] },
    ],
    keyboard: { slider: byId('p'), key: 'p', drives: '[data-testid="speedup-plot"]' },
    extra: [
      {
        name: 'malformed booleans log/scaled are replaced with a url-note',
        reason: 'was a bug: amdahl/mod.rs Settings::read: log/scaled use q.get(..) == Some("1"); log=yes, scaled=2 silently become 0 with no url-note',
        async fn() {
          const { page, problems } = await openLesson('amdahl', 'pool=4&log=yes&scaled=2', 'workload');
          try {
            const lines = await noteLines(page);
            await assertHealthy(page, problems, 'log=yes');
            assertNoted(lines, 'log');
            assertNoted(lines, 'scaled');
          } finally { await page.close(); }
        },
      },
      {
        name: 'a keyboard step of p near 1 reaches the URL',
        reason: 'was a bug: amdahl/mod.rs Settings::write: p is written with 4 decimals; at p=0.998 one arrow step of the log slider (900 → 901, p 0.99800 → 0.99802) leaves p=0.9980, so the hash does not change and a reload moves the thumb back',
        async fn() {
          const { page } = await openLesson('amdahl', 'pool=4&p=0.998', 'p');
          try {
            const before = param(await hashOf(page), 'p');
            const hint = page.getByTestId('p').locator('xpath=ancestor::label[1]');
            const text = await hint.textContent();
            await page.getByTestId('p').focus();
            await page.keyboard.press('ArrowRight');
            await page.waitForFunction(([el, t]) => el.textContent !== t, [await hint.elementHandle(), text]);
            assert.notEqual(param(await hashOf(page), 'p'), before, 'the step is in the URL');
          } finally { await page.close(); }
        },
      },
    ],
  },
  {
    name: 'amdahl, view=multicore (#/amdahl)',
    route: 'amdahl',
    ready: 'hm-f',
    open: 'view=multicore&hm_f=0.9&hm_n=64&hm_r=4',
    tol: { hm_f: 5e-4 },
    controls: [
      // 0.900 → ArrowRight gives 0.90046, still 0.900 with 3 decimals: step left instead.
      range('hm_f', byId('hm-f'), { pos: pPos, posTol: 0.5, readout: /f = ([\d.]+)/, readTol: 5e-4, tol: 5e-4,
        press: 'ArrowLeft', after: (f) => pAt(Math.round(pPos(f)) - 1) }),
      range('hm_n', byId('hm-n'), { pos: Math.log2, readout: /n = (\d+) BCEs/, after: (n) => Math.min(1024, n * 2) }),
      range('hm_r', byId('hm-r'), { pos: Math.log2, readout: /r = (\d+)/, after: (r) => r * 2 }),
      tab('view', (page, v) => page.getByRole('tab', { name: v === 'measure' ? 'Measure on this device' : /Multicore design/ }), 'measure'),
    ],
    bad: [
      { query: 'view=multicore&hm_f=abc&hm_n=x&hm_r=y', expect: { hm_f: '0.975', hm_n: '256', hm_r: '16' } },
      { query: 'view=multicore&hm_f=2&hm_n=4096&hm_r=0', expect: { hm_f: '1', hm_n: '1024', hm_r: '1' }, show: ['hm_n', 'hm_r'] },
    ],
    keyboard: { slider: byId('hm-f'), key: 'hm_f', presses: ['ArrowLeft', 'ArrowRight'], drives: 'canvas#hill-marty' },
    extra: [
      {
        name: 'hm_n that is not a power of two is replaced with a url-note',
        reason: 'was a bug: amdahl/multicore.rs HmSettings::read: hm_n=100 is rounded up to 128 by next_power_of_two() with no url-note',
        async fn() {
          const { page, problems } = await openLesson('amdahl', 'view=multicore&hm_n=100', 'hm-n');
          try {
            assert.equal(param(await hashOf(page), 'hm_n'), '128');
            await assertHealthy(page, problems, 'hm_n=100');
            assertNoted(await noteLines(page), 'hm_n');
          } finally { await page.close(); }
        },
      },
      {
        name: 'a keyboard step of f near 1 reaches the URL',
        reason: 'was a bug: amdahl/multicore.rs HmSettings::write: hm_f is written with 3 decimals; at hm_f=0.99 one arrow step (667 → 668, f 0.99000 → 0.99009) leaves hm_f=0.990, so the hash does not change and a reload moves the thumb back',
        async fn() {
          const { page } = await openLesson('amdahl', 'view=multicore&hm_f=0.99', 'hm-f');
          try {
            const canvas = await page.locator('canvas#hill-marty').elementHandle();
            await waitForInk(page, canvas);
            const before = param(await hashOf(page), 'hm_f');
            const drawn = await canvas.evaluate((c) => c.toDataURL());
            await page.getByTestId('hm-f').focus();
            await page.keyboard.press('ArrowRight');
            await page.waitForFunction(([c, d]) => c.toDataURL() !== d, [canvas, drawn]);
            assert.notEqual(param(await hashOf(page), 'hm_f'), before, 'the step is in the URL');
          } finally { await page.close(); }
        },
      },
    ],
  },
  {
    name: 'cpu, view=power (#/cpu)',
    route: 'cpu',
    ready: 'power-readout',
    open: 'view=power&v=1.100&f=800&c=20.000&alpha=0.30&cores=4&tdp=40.0&p=0.60',
    tol: { v: 5e-4, c: 5e-4, alpha: 5e-3, tdp: 0.05, p: 5e-3 },
    controls: [
      // posTol: the slider steps by 0.005 V from 0.70, so the default 1.484 V sits at 1.485.
      range('v', byId('v'), { posTol: 0.0025, readout: /V = ([\d.]+) V/, readTol: 5e-4, tol: 1.1e-3, after: (v) => v + 0.005 }),
      range('f', byId('f'), { readout: /asked (\d+) MHz/, readTol: 0.5, tol: 0.5, after: (f) => f + 10 }),
      range('c', byId('c'), { readout: /C = ([\d.]+) nF/, readTol: 0.05, tol: 1.1e-3, after: (c) => c + 0.1 }),
      range('alpha', byId('alpha'), { readout: /α = ([\d.]+)/, readTol: 5e-3, tol: 5.1e-3, after: (a) => a + 0.01 }),
      range('cores', byId('cores'), { readout: /Cores N = (\d+)/, after: (n) => n + 1 }),
      range('tdp', byId('tdp'), { readout: /\(TDP\) = ([\d.]+) W/, readTol: 0.05, tol: 0.051, after: (w) => w + 0.5 }),
      range('p', byId('p'), { readout: /p = ([\d.]+)/, readTol: 5e-3, tol: 5.1e-3, after: (p) => p + 0.01 }),
      tab('view', (page, v) => page.getByTestId(`tab-${v}`), 'trends'),
    ],
    bad: [
      { query: 'view=power&v=abc&f=x&c=y&alpha=z&cores=w&tdp=q&p=r',
        expect: { v: '1.484', f: '1600', cores: '1', tdp: '24.5', p: '0.9' }, alsoNoted: ['c', 'alpha'] },
      { query: 'view=power&v=5&f=99999&c=0&alpha=2&cores=99&tdp=0&p=-1',
        expect: { v: '1.6', f: '2000', c: '5', alpha: '1', cores: '16', tdp: '5', p: '0' }, show: ['v', 'alpha', 'cores', 'p'] },
    ],
    keyboard: { slider: byId('v'), key: 'v', drives: '[data-testid="power-plot"]' },
    // The die view's keys: tests/e2e/die.test.mjs drives them (it needs a measured run).
    covered: ['die_slow', 'die_cores'],
    extra: [
      {
        name: 'every in-range URL value of f, c, tdp is shown by its slider (or clamped with a note)',
        reason: 'was a bug: cpu/power.rs: PowerSettings::read accepts f 10–3000, c 1–200, tdp 1–200 but the sliders span f 50–2000, c 5–100, tdp 5–100; f=2500&c=150&tdp=150 keeps the values (hash and labels) while the thumbs sit at 2000/100/100, without a note',
        async fn() {
          await outsideSlider('cpu', 'view=power&f=2500&c=150&tdp=150', 'power-readout', { f: 'f', c: 'c', tdp: 'tdp' });
        },
      },
    ],
  },
  {
    name: 'cpu, view=trends (#/cpu)',
    route: 'cpu',
    ready: 'trends-plot',
    open: 'view=trends&series=transistors,cores&from=1990&to=2010',
    controls: [
      chips('series', 'series-', ['transistors', 'specint', 'frequency', 'power', 'cores'], 'power'),
      yearField('from', 'from'),
      yearField('to', 'to'),
      tab('view', (page, v) => page.getByTestId(`tab-${v}`), 'superscalar'),
    ],
    bad: [
      { query: 'view=trends&series=transistors,bogus&from=abc&to=x', expect: { series: 'transistors', from: '2005', to: '2021' } },
      { query: 'view=trends&from=1900&to=2100', expect: { from: '1971', to: '2021' } },
      { query: 'view=trends&from=2010&to=1990', expect: { from: '1990', to: '2010' }, noted: ['from'] },
    ],
    // No slider in this view: its year fields are number inputs (ArrowUp, committed with Enter).
    keyboard: { slider: byId('from'), key: 'from', presses: ['ArrowUp', 'ArrowDown'], commit: 'Enter', drives: '[data-testid="trends-plot"]' },
  },
  {
    name: 'cpu, view=superscalar (#/cpu)',
    route: 'cpu',
    ready: 'cycle-grid',
    open: 'view=superscalar&program=chain&issue=ooo&width=2&window=32&miss=50&alus=3&cycle=3&speed=8',
    controls: [
      {
        key: 'cycle',
        async show(page, v) { assert.equal(await page.getByTestId('cycle-grid').getAttribute('data-cycle'), v, `cycle=${v}: grid`); },
        async change(page, v) { await page.getByTestId('step').click(); return String(Number(v) + 1); },
      },
      select('speed', byId('speed'), '16'),
      select('program', byId('program'), 'independent'),
      select('issue', byId('issue'), 'inorder'),
      range('width', byId('width'), { readout: /Issue width = (\d+)/, after: (w) => w + 1 }),
      range('window', byId('window'), { readout: /Window = (\d+)/, after: (w) => w + 1 }),
      range('miss', byId('miss'), { readout: /latency = (\d+) cycles/, after: (m) => m + 1 }),
      range('alus', byId('alus'), { readout: /Integer ALUs = (\d+)/, after: (a) => a + 1 }),
      tab('view', (page, v) => page.getByTestId(`tab-${v}`), 'smt'),
    ],
    bad: [
      { query: 'view=superscalar&program=nope&issue=sideways&width=x&window=y&miss=z&alus=w&cycle=v&speed=u',
        expect: { program: 'loads', issue: 'inorder', width: '4', window: '16', miss: '30', alus: '2', speed: '4' }, alsoNoted: ['cycle'] },
      { query: 'view=superscalar&width=99&window=1&miss=999&alus=0&cycle=99999&speed=5',
        expect: { width: '8', window: '2', miss: '100', alus: '1', speed: '4' }, show: ['width', 'window', 'alus', 'speed'], alsoNoted: ['cycle'] },
    ],
    keyboard: { slider: byId('width'), key: 'width', drives: '[data-testid="ipc-width-plot"]' },
    extra: [
      {
        name: 'every in-range URL value of miss is shown by its slider (or clamped with a note)',
        reason: 'was a bug: cpu/superscalar.rs: SsSettings::read accepts miss 1–200 (and clamps to 200 on input) but the slider spans 1–100; miss=150 keeps 150 in the hash and label while the thumb sits at 100, without a note',
        async fn() {
          await outsideSlider('cpu', 'view=superscalar&miss=150&cycle=0', 'cycle-grid', { miss: 'miss' });
        },
      },
      {
        name: 'a malformed cycle is described without the internal sentinel',
        reason: 'was a bug: cpu/superscalar.rs SsSettings::read: cycle=v gives the note "cycle=v is not a whole number; using 4294967295." (usize::MAX on wasm32, the "last cycle" sentinel), not the cycle actually shown',
        async fn() {
          const { page } = await openLesson('cpu', 'view=superscalar&cycle=v', 'cycle-grid');
          try {
            const lines = await noteLines(page);
            assertNoted(lines, 'cycle');
            const shown = await page.getByTestId('cycle-grid').getAttribute('data-cycle');
            assert.ok(!/4294967295|18446744073709551615/.test(lines.join(' ')), JSON.stringify(lines));
            assert.ok(lines.some((l) => l.startsWith('cycle=') && (l.includes(`using ${shown}`) || l.includes('the last cycle'))), `the note names cycle ${shown}`);
          } finally { await page.close(); }
        },
      },
    ],
  },
  {
    name: 'cpu, view=smt (#/cpu)',
    route: 'cpu',
    ready: 'smt-results',
    open: 'view=smt&smt=same&smt_miss=60',
    controls: [
      select('smt', byId('smt-preset'), 'mixed'),
      range('smt_miss', byId('smt-miss'), { readout: /latency = (\d+) cycles/, after: (m) => m + 1 }),
      tab('view', (page, v) => page.getByTestId(`tab-${v}`), 'power'),
    ],
    bad: [
      { query: 'view=smt&smt=nope&smt_miss=x', expect: { smt: 'mixed', smt_miss: '30' } },
      { query: 'view=smt&smt_miss=999', expect: { smt_miss: '200' } },
      { query: 'view=sideways&smt_miss=0', ready: 'power-readout', expect: { view: 'power', smt_miss: '1' }, show: [] },
    ],
    // With `same` the miss latency changes nothing (no loads); `mixed` misses on every 4th load.
    keyboard: { open: 'view=smt&smt=mixed&smt_miss=30', slider: byId('smt-miss'), key: 'smt_miss', drives: '[data-testid="smt-strip"]' },
  },
  {
    name: 'races (#/races)',
    route: 'races',
    ready: 'k',
    open: 'pool=4&k=3&m=100000&repeats=50&order=consistent&trials=20&preset=check-then-act&schedule=0',
    controls: [
      range('k', byId('k'), { readout: /Threads K = (\d+)/, after: (k) => k + 1 }),
      select('m', byId('m'), '1000000'),
      range('repeats', byId('repeats'), { readout: /Racy runs: (\d+)/, after: (r) => r + 1 }),
      select('order', byId('order'), 'opposite'),
      range('trials', byId('trials'), { readout: /Trials: (\d+)/, after: (t) => t + 1 }),
      {
        key: 'schedule',
        async show(page, v) {
          assert.equal(await page.getByTestId('explorer-schedule').getAttribute('data-schedule'), v, `schedule=${v}: explorer`);
        },
        async change(page, v) { await page.getByTestId('step-1').click(); return v ? `${v},1` : '1'; },
      },
      select('preset', byId('explorer-preset'), 'deadlock'),
    ],
    bad: [
      { query: 'pool=4&k=x&m=y&repeats=z&trials=w&preset=nope',
        expect: { k: '4', m: '1000000', repeats: '20', trials: '10', preset: 'counter' } },
      { query: 'pool=4&k=99&m=9000000&repeats=500&trials=0', expect: { k: '4', m: '4000000', repeats: '100', trials: '1' } },
    ],
    keyboard: { slider: byId('repeats'), key: 'repeats', drives: 'label' },
    extra: [
      {
        name: 'a malformed order is replaced with a url-note',
        reason: 'was a bug: races/mod.rs Settings::read: order uses q.get("order") != Some("consistent"); order=sideways silently becomes opposite with no url-note',
        async fn() { await notedOnly('races', 'pool=4&order=sideways', 'k', 'order', 'opposite'); },
      },
      {
        name: 'a malformed schedule entry is reported with a url-note',
        reason: 'was a bug: races/mod.rs Settings::read: schedule entries that are not numbers are dropped by filter_map(parse().ok()); schedule=0,x,1 silently becomes 0,1 with no url-note',
        async fn() { await notedOnly('races', 'pool=4&schedule=0,x,1', 'k', 'schedule', '0,1'); },
      },
      {
        name: 'an in-range m that the select does not offer is shown or replaced with a note',
        reason: 'was a bug: races/mod.rs Settings::read: m accepts 1..=4000000 but the select offers only 10000/100000/1000000/4000000; m=12345 stays in the hash (and is what Run would use) while the select shows 4,000,000, without a note',
        async fn() {
          const { page, problems } = await openLesson('races', 'pool=4&m=12345', 'm');
          try {
            await assertHealthy(page, problems, 'm=12345');
            const m = param(await hashOf(page), 'm');
            const shown = await page.getByTestId('m').inputValue();
            assert.ok(shown === m || (m !== '12345' && (await noteLines(page)).some((l) => l.startsWith('m='))),
              `m=${m} in the hash, the select shows ${shown}`);
          } finally { await page.close(); }
        },
      },
    ],
  },
  {
    name: 'gil (#/gil)',
    route: 'gil',
    ready: 'workload',
    open: 'pool=4&workload=mixed&size=small&modes=gil,processes&threads=1,2&reps=5&switch=2.5&cpu=4000&io=5&kb=1000',
    tol: { switch: 1e-9 },
    controls: [
      select('size', byId('size'), 'large'),
      chips('modes', 'mode-', ['gil', 'free', 'processes'], 'free'),
      chips('threads', 'threads-', THREADS, 4),
      range('reps', repsSlider, { readout: /Repetitions: (\d+)/, after: (v) => v + 1 }),
      range('switch', byId('switch'), { readout: /Switch interval: ([\d.]+) ms/, tol: 1e-9, after: (s) => Math.round((s + 0.1) * 10) / 10 }),
      range('cpu', byId('mix-cpu'), { readout: /Bytecode per item: ([\d,]+) loop/, after: (c) => c + 500 }),
      range('io', byId('mix-io'), { readout: /I\/O per item: (\d+) ms/, after: (i) => i + 1 }),
      range('kb', byId('mix-kb'), { readout: /C library per item: ([\d,]+) KB/, after: (k) => k + 100 }),
      // Last: any other workload hides the three mix sliders (their keys stay in the URL).
      { ...select('workload', byId('workload'), 'primes'), final: true },
    ],
    bad: [
      { query: 'pool=4&workload=nope&size=nope&modes=bogus', expect: { workload: 'primes', size: 'medium', modes: 'gil,free,processes' } },
      { query: 'pool=4&workload=mixed&threads=x&reps=y&switch=z&cpu=a&io=b&kb=c',
        expect: { threads: '1,4', reps: '3', switch: '5', cpu: '2000', io: '2', kb: '500' } },
      { query: 'pool=4&workload=mixed&threads=0,99&reps=0&switch=500&cpu=99999&io=-1&kb=5000',
        expect: { threads: '1', reps: '1', switch: '20', cpu: '20000', io: '0', kb: '4000' } },
    ],
    keyboard: { slider: byId('switch'), key: 'switch', drives: 'label' },
    // The message-passing section's keys: tests/e2e/gil-messages.test.mjs drives them.
    covered: ['msg_max', 'msg_reps'],
  },
];

// ---------------------------------------------------------------------------------------------
// Shared checks for the extra subtests

/** Opens `query`; `key` must be noted, and its value in the hash must be `value`. */
async function notedOnly(route, query, ready, key, value) {
  const { page, problems } = await openLesson(route, query, ready);
  try {
    await assertHealthy(page, problems, query);
    assert.equal(param(await hashOf(page), key), value);
    assertNoted(await noteLines(page), key);
  } finally { await page.close(); }
}

/** Each URL key (→ slider test id) keeps its value: the slider must show it, or a note explain. */
async function outsideSlider(route, query, ready, sliders) {
  const { page, problems } = await openLesson(route, query, ready);
  try {
    await assertHealthy(page, problems, query);
    const hash = await hashOf(page);
    const lines = await noteLines(page);
    for (const [key, id] of Object.entries(sliders)) {
      const shown = await page.getByTestId(id).inputValue();
      assert.ok(Number(shown) === Number(param(hash, key)) || lines.some((l) => l.startsWith(`${key}=`)),
        `${key}=${param(hash, key)} in the hash, the slider shows ${shown}, notes ${JSON.stringify(lines)}`);
    }
  } finally { await page.close(); }
}

// ---------------------------------------------------------------------------------------------
// The specs against the declared keys (docs/url-keys.json)

test('every declared URL key has a spec here, and every spec key is declared', () => {
  for (const [route, params] of Object.entries(KEYS.lessons)) {
    const specs = SPECS.filter((s) => s.route === route);
    const tested = new Set(specs.flatMap((s) => [...s.controls.map((c) => c.key), ...(s.covered ?? [])]));
    const declared = params.filter((p) => p.kind !== 'action').map((p) => p.key);
    for (const key of declared) assert.ok(tested.has(key), `#/${route}: ${key} is declared but no spec covers it`);
    for (const key of tested) assert.ok(declared.includes(key), `#/${route}: ${key} is tested but not declared`);
  }
});

test('each lesson opened without a query writes exactly its declared keys and defaults', async () => {
  for (const [route, params] of Object.entries(KEYS.lessons)) {
    const page = await env.browser.newPage();
    const problems = watch(page, [env.url]);
    try {
      await page.goto(`${env.url}/#/${route}?pool=${KEYS.pool}`);
      await page.locator('[data-testid="env"][data-ready="ready"]').waitFor();
      const written = Object.fromEntries(new URLSearchParams((await hashOf(page)).split('?')[1] ?? ''));
      delete written.pool;
      const expected = Object.fromEntries(params.filter((p) => p.kind !== 'action' && !p.derived)
        .map((p) => [p.key, p.default_at_pool]));
      for (const [key, value] of Object.entries(expected)) assert.equal(written[key], value, `#/${route}: ${key}`);
      const declared = params.filter((p) => p.kind !== 'action').map((p) => p.key).sort();
      assert.deepEqual(Object.keys(written).sort(), declared, `#/${route}: the keys written`);
      await assertHealthy(page, problems, `#/${route}`);
    } finally { await page.close(); }
  }
});

// ---------------------------------------------------------------------------------------------
// One test per lesson / view

for (const spec of SPECS) {
  test(`URL state of ${spec.name}`, async (t) => {
    const tolOf = (key) => spec.controls.find((c) => c.key === key)?.tol ?? spec.tol?.[key];
    const asked = [...new URLSearchParams(spec.open)];
    let roundTrip = null;

    await t.test('URL → controls, then controls → URL', async () => {
      const { page, problems } = await openLesson(spec.route, spec.open, spec.ready);
      try {
        const hash = await hashOf(page);
        for (const [key, value] of asked) assertValue(param(hash, key), value, tolOf(key), `${key} kept in ${hash}`);
        assert.deepEqual(await noteLines(page), [], 'no url-note for an in-range link');
        assert.equal(await page.getByTestId('url-note').count(), 0);
        for (const c of spec.controls) {
          const value = new URLSearchParams(spec.open).get(c.key) ?? param(hash, c.key);
          await c.show(page, value);
        }
        // Change every control through the UI; its key alone is rewritten.
        const ordered = [...spec.controls.filter((c) => !c.final), ...spec.controls.filter((c) => c.final)];
        for (const c of ordered) {
          if (c.final && roundTrip === null) roundTrip = await hashOf(page);
          const before = param(await hashOf(page), c.key);
          const expected = await c.change(page, before);
          const now = await hashChange(page, c.key, before);
          assertValue(now, expected, c.tol, `${c.key} after changing its control (was ${before})`);
          if (!c.final) await c.show(page, now);
        }
        roundTrip ??= await hashOf(page);
        await assertHealthy(page, problems, spec.name);
      } finally { await page.close(); }
    });

    await t.test('round trip: the changed URL restores the same controls and hash', async () => {
      assert.ok(roundTrip, 'the previous subtest produced a URL');
      const { page, problems } = await openLesson(spec.route, roundTrip.replace(/^#\/[^?]*\??/, ''), spec.ready);
      try {
        assert.equal(await hashOf(page), roundTrip, 'the lesson re-writes the very same hash');
        assert.equal(await page.getByTestId('url-note').count(), 0);
        for (const c of spec.controls.filter((x) => !x.final)) await c.show(page, param(roundTrip, c.key));
        await assertHealthy(page, problems, 'round trip');
      } finally { await page.close(); }
    });

    await t.test('malformed and out-of-range values are replaced with a url-note', async () => {
      for (const bad of spec.bad) {
        const { page, problems } = await openLesson(spec.route, bad.query, bad.ready ?? spec.ready);
        try {
          const lines = await noteLines(page);
          const hash = await hashOf(page);
          const asked = new URLSearchParams(bad.query);
          const noted = bad.noted ?? Object.keys(bad.expect).filter((key) => asked.has(key));
          for (const key of [...noted, ...(bad.alsoNoted ?? [])]) assertNoted(lines, key);
          for (const [key, value] of Object.entries(bad.expect)) {
            assertValue(param(hash, key), value, tolOf(key) ?? (/^-?[\d.]+$/.test(value) ? 1e-9 : undefined), `${bad.query}: ${key}`);
          }
          for (const key of bad.show ?? Object.keys(bad.expect)) {
            await spec.controls.find((c) => c.key === key && !c.final)?.show(page, param(hash, key));
          }
          // Dismissible; the lesson goes on rendering.
          await page.locator('[data-testid="url-note"] button.dismiss').first().click();
          await page.waitForFunction(() => !document.querySelector('[data-testid="url-note"] li'));
          await page.getByTestId(bad.ready ?? spec.ready).first().waitFor();
          await assertHealthy(page, problems, bad.query);
        } finally { await page.close(); }
      }
    });

    await t.test('keyboard only: Tab to a slider, arrows change the URL and what it drives', async (st) => {
      const k = spec.keyboard;
      if (!k) { st.skip('no slider in this lesson'); return; }
      const { page, problems } = await openLesson(spec.route, k.open ?? spec.open, spec.ready);
      try {
        const slider = k.slider(page);
        const target = k.drives === 'label'
          ? await slider.locator('xpath=ancestor::label[1]').elementHandle()
          : await page.locator(k.drives).elementHandle();
        const isCanvas = k.drives !== 'label';
        if (isCanvas) await waitForInk(page, target);
        const snapshot = (el) => (el instanceof HTMLCanvasElement ? el.toDataURL() : el.textContent);
        const presses = await tabTo(page, slider);
        st.diagnostic(`reached ${k.key} with ${presses} Tab presses`);
        for (const key of k.presses ?? ['ArrowRight', 'ArrowLeft']) {
          const before = param(await hashOf(page), k.key);
          const drawn = await target.evaluate(snapshot);
          await page.keyboard.press(key);
          if (k.commit) await page.keyboard.press(k.commit);
          const now = await hashChange(page, k.key, before);
          assert.notEqual(now, before, `${key} changed ${k.key}`);
          await page.waitForFunction(([el, d]) => (el instanceof HTMLCanvasElement ? el.toDataURL() : el.textContent) !== d, [target, drawn]);
          assert.ok(await slider.evaluate((el) => el === document.activeElement), 'focus stays on the control');
        }
        await assertHealthy(page, problems, 'keyboard');
      } finally { await page.close(); }
    });

    for (const extra of spec.extra ?? []) {
      await t.test(extra.name, extra.fn);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Global keys with a behaviour of their own

test('ask (global): ask=1 requires a prediction; a malformed value is noted and ignored', async () => {
  const spec = KEYS.global.find((p) => p.key === 'ask');
  assert.ok(spec, 'ask is declared in the GLOBAL table');
  {
    const { page, problems } = await openLesson('serial', 'ask=1&threads=1,2&pool=2', 'predict');
    try {
      assert.equal(param(await hashOf(page), 'ask'), '1', 'ask=1 stays in the URL');
      assert.deepEqual(await noteLines(page), []);
      assert.equal(await page.getByTestId('predict').getAttribute('data-required'), 'true');
      assert.ok(await page.getByTestId('run').isDisabled());
      await assertHealthy(page, problems, 'ask=1');
    } finally { await page.close(); }
  }
  for (const bad of ['yes', '2']) {
    const { page, problems } = await openLesson('serial', `ask=${bad}&threads=1,2&pool=2`, 'predict');
    try {
      assertNoted(await noteLines(page), 'ask');
      assert.equal(await page.getByTestId('predict').getAttribute('data-required'), 'false', `ask=${bad} acts as 0`);
      assert.ok(await page.getByTestId('run').isEnabled());
      await assertHealthy(page, problems, `ask=${bad}`);
    } finally { await page.close(); }
  }
});
