// Smoke tests in Firefox ESR and WebKitGTK (the full suite stays on Chromium, tests/e2e/): each
// lesson route loads, the status bar shows the mode the engine should get and why, one small
// measured run reaches its final state, and nothing is logged as an error.
//   Firefox:                       threads (isolated, SharedArrayBuffer)
//   WebKitGTK:                     workers, data-why="no-sab" (isolated, no SharedArrayBuffer)
//   WebKitGTK, JSC_useSharedArrayBuffer=1: threads (what Safari does)
// Each engine is skipped, with a note, when it is not installed (scripts/setup.sh installs
// them for ./test). `PARLAB_ENGINES=firefox,webkit` picks engines.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDir } from '../serve.mjs';
import { DIST } from '../e2e/helpers.mjs';
import { openEngine, available, ERROR_CATCHER } from './engines.mjs';

const ENGINES = {
  firefox: { mode: 'threads', why: 'isolated' },
  webkit: { mode: 'workers', why: 'no-sab' },
  'webkit-sab': { mode: 'threads', why: 'isolated' },
};
const chosen = (process.env.PARLAB_ENGINES ?? Object.keys(ENGINES).join(',')).split(',');

// Small runs on 1 and 2 threads. `shared`: parts of the lesson need shared memory, so in
// `workers` mode the run may end as `unavailable` (or, until the lesson says so, stay idle).
const LESSONS = [
  { route: '' },
  { route: 'serial', query: 'size=small&reps=1&threads=1,2&run=1' },
  { route: 'amdahl', query: 'workload=pi&size=small&threads=1,2&reps=1&run=1' },
  { route: 'cpu' },
  { route: 'gil', query: 'workload=primes&size=small&threads=1,2&reps=1&run=1', shared: true },
  { route: 'races', query: 'k=2&m=10000&repeats=2&run=1', shared: true },
];
const FINAL = ['done', 'error', 'cancelled', 'unavailable'];

let app;
before(async () => { app = await serveDir(DIST, { inject: ERROR_CATCHER }); });
after(() => app?.server.close());

const status = () => {
  const e = document.querySelector('[data-testid="env"]');
  return e && e.getAttribute('data-ready') !== 'starting' && {
    mode: e.getAttribute('data-mode'), why: e.getAttribute('data-why'), ready: e.getAttribute('data-ready'),
    pool: e.getAttribute('data-pool'), cores: e.getAttribute('data-cores'), measured: e.getAttribute('data-measured'),
    coi: e.getAttribute('data-coi'), text: e.textContent, probe: e.querySelector('.facts')?.title ?? '',
  };
};
const runState = () => {
  const e = document.querySelector('[data-testid="run-state"]');
  return e && { state: e.getAttribute('data-state'), text: e.textContent };
};

let load = 0;
for (const name of chosen) {
  const expected = ENGINES[name];
  describe(name, { skip: available(name) ? false : `${name} is not installed` }, () => {
    let b;
    before(async () => { b = await openEngine(name); console.log(`# ${name}: ${b.version}`); });
    after(async () => { await b?.close(); });

    for (const lesson of LESSONS) {
      test(`#/${lesson.route}${lesson.query ? '?' + lesson.query : ''}`, async (t) => {
        // A different query before the hash: every lesson is a full, fresh page load.
        await b.goto(`${app.url}/?load=${++load}#/${lesson.route}${lesson.query ? '?' + lesson.query : ''}`);
        await b.waitFor('document.querySelector(".lesson h1")', 60_000);
        const s = await b.waitFor(`(${status})()`, 60_000);
        assert.equal(s.ready, 'ready', s.text);
        if (s.why === 'watchdog' && expected.mode === 'threads') {
          // The pool did not start in time (Firefox: a few loads in 100, see
          // web/compute-worker.js); the page fell back to workers, which must work.
          assert.equal(s.mode, 'workers', s.text);
          console.log(`# ${name} #/${lesson.route}: the pool did not start; watchdog fallback to workers`);
        } else {
          assert.equal(s.mode, expected.mode, s.text);
          assert.equal(s.why, expected.why, s.text);
        }
        if (s.why === 'no-sab') assert.doesNotMatch(s.text, /not cross-origin isolated/);
        console.log(`# ${name} #/${lesson.route}: ${s.mode}, pool ${s.pool}, reported ${s.cores}, measured ${s.measured} (${s.probe})`);
        let outcome = 'no measured run';
        if (lesson.query) {
          const shared = lesson.shared && s.mode !== 'threads';
          const finalJs = `(() => { const r = (${runState})(); return r && ${JSON.stringify(FINAL)}.includes(r.state) && r; })()`;
          let r;
          try {
            r = await b.waitFor(finalJs, shared ? 20_000 : 120_000);
          } catch (e) {
            const now = await b.eval(`(${runState})()`);
            if (shared && now?.state === 'idle') {
              // Until the lesson reports `unavailable` (issue 12, item 4): not a failure here.
              t.todo(`stays idle in workers mode: ${now.text.slice(0, 120)}`);
              console.log(`# ${name} #/${lesson.route}: idle in workers mode (no final state yet)`);
              return;
            }
            throw new Error(`${e.message}; run-state now ${JSON.stringify(now)}`);
          }
          outcome = r.state;
          assert.ok(r.state === 'done' || (shared && r.state === 'unavailable'), `${r.state}: ${r.text}`);
        }
        console.log(`# ${name} #/${lesson.route}: ${outcome}`);
        assert.deepEqual(await b.errors(), []);
      });
    }
  });
}
