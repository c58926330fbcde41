// The browser half of the native-vs-wasm benchmark (see ./bench and BENCHMARKS.md).
//
// Serves dist/ cross-origin isolated, opens the Amdahl lesson in Debian's chromium once per
// workload with `run=1`, waits for the run to finish and reads the lesson's own results
// (`data-testid="results"` `data-json`: the same Row type `parlab-bench` writes natively).
// Writes `{ machine, runs: [{ workload, size, env: "wasm-<mode>", rows, ... }] }`, the shape of
// `cargo run -p parlab-bench -- --json`.
//
// usage: node tests/bench-wasm.mjs [--workload all|pi|mandelbrot,...] [--size medium]
//          [--threads 1,2] [--reps 5] [--serial 0] [--schedule dynamic|static]
//          [--mode threads|workers] [--pages 1] [--timeout 600] [--json PATH] [--dist DIR]
//          [--engine chromium|firefox]
// --engine firefox drives Debian's Firefox ESR (puppeteer-core over WebDriver BiDi, as the
// cross-engine smoke tests do); its runs are labelled `firefox-<mode>` instead of `wasm-<mode>`.
// --dist serves another copy of the build (./bench snapshots dist/, which other work may
// rebuild while a benchmark runs).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { dirname, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { serveDir } from './serve.mjs';
import { CpuWatch } from './cpu-watch.mjs';
import { launch, watch, finishedRun, DIST } from './e2e/helpers.mjs';
import { openEngine } from './cross/engines.mjs';

const WORKLOADS = ['primes', 'mandelbrot', 'pi', 'matmul', 'reduce'];
const USAGE = `usage: node tests/bench-wasm.mjs [--workload all|${WORKLOADS.join('|')}[,...]]
  [--size small|medium|large] [--threads 1,2] [--reps 5] [--serial 0] [--schedule dynamic|static]
  [--mode threads|workers] [--pages 1] [--timeout SECONDS] [--json PATH] [--dist DIR]
  [--engine chromium|firefox]`;

function fail(message) {
  console.error(`bench-wasm: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = {
    workload: 'all', size: 'medium', threads: '1,2', reps: '5', serial: '0',
    schedule: 'dynamic', mode: 'threads', pages: '1', timeout: '600', json: null, dist: DIST,
    engine: 'chromium',
  };
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].split(/=(.*)/s);
    if (flag === '-h' || flag === '--help') { console.log(USAGE); process.exit(0); }
    if (!flag.startsWith('--') || !(flag.slice(2) in o)) fail(`unknown argument ${argv[i]}\n${USAGE}`);
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) fail(`${flag} needs a value`);
    }
    o[flag.slice(2)] = value;
  }
  const workloads = o.workload === 'all' ? WORKLOADS : o.workload.split(',');
  for (const w of workloads) if (!WORKLOADS.includes(w)) fail(`--workload: unknown workload ${w}`);
  if (!['small', 'medium', 'large'].includes(o.size)) fail(`--size: ${o.size} is not small|medium|large`);
  const threads = o.threads.split(',').map(Number);
  if (!threads.every((t) => Number.isInteger(t) && t >= 1 && t <= 64)) fail(`--threads: ${o.threads}`);
  const reps = Number(o.reps);
  if (!(Number.isInteger(reps) && reps >= 1 && reps <= 20)) fail(`--reps: ${o.reps} (the lesson allows 1..=20)`);
  const serial = Number(o.serial);
  if (!(serial >= 0 && serial <= 0.9)) fail(`--serial: ${o.serial}`);
  if (!['dynamic', 'static'].includes(o.schedule)) fail(`--schedule: ${o.schedule}`);
  if (!['threads', 'workers'].includes(o.mode)) fail(`--mode: ${o.mode} is not threads|workers`);
  if (!['chromium', 'firefox'].includes(o.engine)) fail(`--engine: ${o.engine} is not chromium|firefox`);
  const pages = Number(o.pages);
  if (!(Number.isInteger(pages) && pages >= 1)) fail(`--pages: ${o.pages}`);
  const timeout = Number(o.timeout) * 1000;
  if (!(timeout > 0)) fail(`--timeout: ${o.timeout}`);
  return { ...o, workloads, threads, reps, serial, pages, timeout, dist: resolve(o.dist) };
}

function cpuModel() {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => /^model name\s*:/.test(l));
    if (line) return line.split(':').slice(1).join(':').trim();
  } catch { /* not Linux */ }
  return cpus()[0]?.model ?? null;
}

function osName() {
  try {
    const pretty = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)"?/m);
    if (pretty) return `${platform()} (${pretty[1]})`;
  } catch { /* ignore */ }
  return `${platform()} ${release()}`;
}

/** The `target_features` custom section of the wasm module dist/index.html loads (e.g.
 * `+simd128`), so the report says what the wasm side was compiled with. */
function wasmFeatures(dist) {
  try {
    const name = readFileSync(`${dist}/index.html`, 'utf8').match(/[\w.-]*_bg\.wasm/)?.[0];
    if (!name) return null;
    const b = readFileSync(`${dist}/${name}`);
    let p = 8;
    const leb = () => {
      let r = 0, s = 0, x;
      do { x = b[p++]; r |= (x & 0x7f) << s; s += 7; } while (x & 0x80);
      return r >>> 0;
    };
    while (p < b.length) {
      const id = b[p++];
      const end = leb() + p;
      if (id === 0) {
        const n = leb();
        if (b.subarray(p, p + n).toString() === 'target_features') {
          p += n;
          const features = [];
          for (let count = leb(); count > 0; count--) {
            const prefix = String.fromCharCode(b[p++]);
            const len = leb();
            features.push(prefix + b.subarray(p, p + len).toString());
            p += len;
          }
          return { module: name, features };
        }
      }
      p = end;
    }
    return { module: name, features: [] };
  } catch {
    return null;
  }
}

/** Counts of a few SIMD instructions in the module (via binaryen's wasm-dis, a dependency of
 * tests/), to tell which loops were vectorised; null if wasm-dis is not installed. */
function simdCounts(dist, module) {
  const dis = new URL('./node_modules/.bin/wasm-dis', import.meta.url).pathname;
  if (!module || !existsSync(dis)) return null;
  const features = ['threads', 'simd', 'bulk-memory', 'mutable-globals', 'nontrapping-float-to-int',
    'sign-ext', 'reference-types', 'multivalue'].map((f) => `--enable-${f}`);
  const r = spawnSync(dis, [...features, `${dist}/${module}`], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) return null;
  const all = {};
  for (const [, op] of r.stdout.matchAll(/\((v128\.\w+|[if](?:8x16|16x8|32x4|64x2)\.\w+)/g)) {
    all[op] = (all[op] ?? 0) + 1;
  }
  const counts = { total: Object.values(all).reduce((a, b) => a + b, 0) };
  for (const op of ['f32x4.mul', 'f32x4.add', 'f64x2.mul', 'f64x2.add', 'i64x2.mul', 'i64x2.add', 'i32x4.add']) {
    counts[op] = all[op] ?? 0;
  }
  return counts;
}

/** The Amdahl lesson's URL that runs `workload` with the options. */
function lessonUrl(app, o, workload) {
  const pool = Math.max(...o.threads);
  const params = new URLSearchParams({
    workload, size: o.size, threads: o.threads.join(','), reps: String(o.reps),
    serial: String(o.serial), schedule: o.schedule, pool: String(pool), run: '1',
  });
  if (o.mode === 'workers') params.set('mode', 'workers');
  return `${app.url}/#/amdahl?${params}`;
}

/**
 * An error when the page ran in another mode than asked (e.g. its thread pool did not start
 * and it fell back to workers): its times belong to no row of the table. `why` = `data-why`.
 */
function modeMismatch(asked, ran, why) {
  return ran === asked ? undefined
    : `asked for ${asked} mode, the page ran in ${ran} mode (data-why="${why}")`;
}

/** Runs one workload in Firefox (an `openEngine` handle, one page reused); returns the run. */
async function runOneFirefox(engine, app, o, workload, module) {
  const url = lessonUrl(app, o, workload);
  const run = {
    workload, size: o.size, env: `firefox-${o.mode}`, reps: o.reps, schedule: o.schedule,
    serial: o.serial, url: url.slice(app.url.length), wasm_module: module, rows: [],
  };
  const t0 = Date.now();
  const cpu = new CpuWatch();
  try {
    // A fresh document per workload: leave the page first (a hash change alone keeps the app).
    await engine.goto('about:blank');
    await engine.goto(url);
    const state = await engine.waitFor(`(() => {
      const s = document.querySelector('[data-testid="run-state"]')?.getAttribute('data-state');
      return ['done', 'error', 'cancelled'].includes(s) ? s : null;
    })()`, o.timeout);
    const page = await engine.eval(`(() => {
      const env = document.querySelector('[data-testid="env"]');
      const results = document.querySelector('[data-testid="results"]');
      return { mode: env?.getAttribute('data-mode'), pool: env?.getAttribute('data-pool'),
        cores: env?.getAttribute('data-cores'), why: env?.getAttribute('data-why'),
        json: results?.getAttribute('data-json') ?? null,
        text: document.querySelector('[data-testid="run-state"]')?.textContent ?? '' };
    })()`);
    run.pool = Number(page.pool);
    run.cores = Number(page.cores);
    run.why = page.why;
    if (state === 'done' && page.json) run.rows = JSON.parse(page.json);
    else run.error = `run ended in state ${state}: ${page.text.trim()}`;
    run.error ??= modeMismatch(o.mode, page.mode, page.why);
  } catch (e) {
    run.error = String(e.message ?? e).split('\n')[0];
  }
  run.others_cores = cpu.stop();
  const errors = await engine.errors();
  if (errors.length) run.console_errors = errors;
  run.seconds = (Date.now() - t0) / 1000;
  return run;
}

/** Runs one workload in a fresh page; returns the run object. */
async function runOne(browser, app, o, workload, module) {
  const url = lessonUrl(app, o, workload);
  const page = await browser.newPage();
  const problems = watch(page, [app.url]);
  const run = {
    workload, size: o.size, env: `wasm-${o.mode}`, reps: o.reps, schedule: o.schedule, serial: o.serial,
    url: url.slice(app.url.length), wasm_module: module, rows: [],
  };
  // The module the page really loaded (dist/ may be rebuilt while a benchmark runs).
  page.on('request', (r) => {
    const name = r.url().match(/[\w.-]*_bg\.wasm$/)?.[0];
    if (name) run.wasm_module = name;
  });
  const t0 = Date.now();
  const cpu = new CpuWatch();
  try {
    await page.goto(url);
    const env = page.getByTestId('env');
    await env.waitFor({ timeout: 60_000 });
    const done = await finishedRun(page, o.timeout);
    const mode = await env.getAttribute('data-mode');
    run.pool = Number(await env.getAttribute('data-pool'));
    run.cores = Number(await env.getAttribute('data-cores'));
    run.why = await env.getAttribute('data-why');
    const note = page.getByTestId('url-note');
    if (await note.count()) run.url_note = (await note.first().textContent()).trim();
    if (done.state === 'done') run.rows = done.rows;
    else run.error = `run ended in state ${done.state}: ${done.text?.trim()}`;
    run.error ??= modeMismatch(o.mode, mode, run.why);
  } catch (e) {
    run.error = String(e.message ?? e).split('\n')[0];
  }
  run.others_cores = cpu.stop();
  if (problems.errors.length) run.console_errors = problems.errors;
  run.seconds = (Date.now() - t0) / 1000;
  await page.close();
  return run;
}

function printRun(run) {
  const lines = [`\n${run.workload} (${run.size}, ${run.env}) in ${run.seconds.toFixed(1)} s`];
  if (run.error) lines.push(`  ERROR: ${run.error}`);
  else {
    lines.push(`  ${'threads'.padStart(7)} ${'median ms'.padStart(11)} ${'min ms'.padStart(11)} ${'max ms'.padStart(11)} ${'speedup'.padStart(8)}`);
    for (const r of run.rows) {
      lines.push(`  ${String(r.threads).padStart(7)} ${r.median_ms.toFixed(1).padStart(11)} ${r.min_ms.toFixed(1).padStart(11)} ${r.max_ms.toFixed(1).padStart(11)} ${(r.speedup?.toFixed(2) ?? '-').padStart(8)}`);
    }
    lines.push(`  answer ${run.rows[0]?.value}`);
  }
  if (run.others_cores != null) lines.push(`  other processes used ${run.others_cores.toFixed(2)} cores meanwhile`);
  if (run.url_note) lines.push(`  url note: ${run.url_note}`);
  for (const e of run.console_errors ?? []) lines.push(`  console: ${e}`);
  console.error(lines.join('\n'));
}

const o = parseArgs(process.argv.slice(2));
if (!existsSync(`${o.dist}/index.html`)) {
  fail(`${o.dist}/index.html not found: build the app first (./run build), or run ./bench`);
}
const wasm = wasmFeatures(o.dist);
if (!wasm) fail(`${o.dist}/index.html names no wasm module that exists (a build in progress?)`);
const app = await serveDir(o.dist);
const runs = new Array(o.workloads.length);
let version;
if (o.engine === 'firefox') {
  const engine = await openEngine('firefox');
  version = engine.version;
  console.error(`bench-wasm: ${version}, ${o.mode} mode, size ${o.size}, threads ${o.threads}, reps ${o.reps}`);
  try {
    for (let i = 0; i < o.workloads.length; i++) {
      runs[i] = await runOneFirefox(engine, app, o, o.workloads[i], wasm?.module ?? null);
      printRun(runs[i]);
    }
  } finally {
    await engine.close();
    app.server.close();
  }
} else {
  const browser = await launch();
  version = `Chromium ${browser.version()}`;
  console.error(`bench-wasm: ${version}, ${o.mode} mode, size ${o.size}, threads ${o.threads}, reps ${o.reps}, ${o.pages} page(s) at a time`);
  let next = 0;
  try {
    await Promise.all(Array.from({ length: Math.min(o.pages, o.workloads.length) }, async () => {
      while (next < o.workloads.length) {
        const i = next++;
        runs[i] = await runOne(browser, app, o, o.workloads[i], wasm?.module ?? null);
        printRun(runs[i]);
      }
    }));
  } finally {
    await browser.close();
    app.server.close();
  }
}

const report = {
  machine: {
    cpu: cpuModel(), logical_cores: cpus().length, os: osName(), arch: process.arch,
    browser: version, hardware_concurrency: runs.find((r) => r.cores)?.cores ?? null,
    wasm_module: wasm?.module ?? null, target_features: wasm?.features ?? null,
    simd_instructions: simdCounts(o.dist, wasm.module),
  },
  runs,
};
const json = JSON.stringify(report, null, 2) + '\n';
if (o.json) {
  mkdirSync(dirname(o.json), { recursive: true });
  writeFileSync(o.json, json);
  console.error(`\nbench-wasm: wrote ${o.json}`);
} else {
  process.stdout.write(json);
}
const failed = runs.filter((r) => r.error).length;
if (failed) {
  console.error(`bench-wasm: ${failed} workload(s) failed`);
  process.exit(1);
}
