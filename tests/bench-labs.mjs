// Two lessons' numbers, natively and in the browser, as benchmark sections (see ./bench and
// BENCHMARKS.md):
//
// - SIMD (issue 14): `parlab-bench simd` (scalar, SSE2 and, where the CPU has it, AVX2 on a
//   rayon pool) against the SIMD lesson `#/simd?kernel=K&…&run=1` (scalar and wasm simd128 on
//   the wasm pool), one kernel at a time, native then browser. Reads the lesson's
//   `data-testid="results"` and `simd-combined` `data-json`. Target: f32 sum and dot with
//   simd128 ≥ 2 × scalar in Chromium.
// - Your machine (issue 13): `parlab-bench machine` against the machine lesson
//   `#/machine?extent=full&run=1` (`machine-card`, `cache-levels`, `machine-sharing`,
//   `machine-bandwidth`, `machine-cores` `data-json`), next to `lscpu`'s cache sizes.
//
// Before each measurement it waits for an idle machine (≥ 90 % idle for 2 s, like ./bench's
// wait_quiet) from one budget of --quiet-wait seconds shared by all of them, and records the
// load. Raw results go to --json-dir; the markdown goes to stdout and, with --out, is appended
// to that file. Exits 1 if a run failed (its section says which), 0 when targets are merely
// missed (it is a report).
//
// usage: node tests/bench-labs.mjs [--dist DIR] [--out FILE] [--bin target/release/parlab-bench]
//          [--size medium] [--threads 1,2] [--reps 5] [--extent full] [--quiet-wait 180]
//          [--json-dir target/bench] [--only simd,machine] [--timeout 900]
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { serveDir } from './serve.mjs';
import { CpuWatch, loadavg, waitQuiet } from './cpu-watch.mjs';
import { launch, watch, finishedRun, DIST } from './e2e/helpers.mjs';

const ROOT = new URL('..', import.meta.url).pathname;
const o = {
  dist: DIST, out: null, bin: join(ROOT, 'target/release/parlab-bench'), size: 'medium',
  threads: '1,2', reps: '5', extent: 'full', 'quiet-wait': '180', 'json-dir': join(ROOT, 'target/bench'),
  only: 'simd,machine', timeout: '900',
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (argv[i] === '-h' || argv[i] === '--help') {
    console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
    process.exit(0);
  }
  if (!(key in o) || argv[i + 1] === undefined) {
    console.error(`bench-labs: bad argument ${argv[i]} (see --help)`);
    process.exit(2);
  }
  o[key] = argv[i + 1];
}
const ONLY = o.only.split(',');
const THREADS = o.threads.split(',').map(Number);
const TOP = Math.max(...THREADS);
const TWO = THREADS.includes(2) ? 2 : TOP;
const TIMEOUT = Number(o.timeout) * 1000;
const budget = { seconds: Number(o['quiet-wait']) };
const QUIET_BUDGET = budget.seconds;
if (!existsSync(o.bin)) {
  console.error(`bench-labs: ${o.bin} not found: cargo build --release -p parlab-bench`);
  process.exit(2);
}
if (!existsSync(join(o.dist, 'index.html'))) {
  console.error(`bench-labs: ${o.dist}/index.html not found: build the app first (./run build)`);
  process.exit(2);
}
mkdirSync(o['json-dir'], { recursive: true });

const fmt = (x, d = 2) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(d));
const ms = (x) => (x == null ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const verdict = (ok) => (ok == null ? 'n/a' : ok ? '**PASS**' : '**MISS**');
/** Above this many cores used by others (or this spread), a measurement shared its cores. */
const BUSY_CORES = 0.15;
const NOISY_SPREAD = 0.25;
const say = (s) => console.error(`\n\x1b[1m[bench-labs]\x1b[0m ${s}`);
/** Every wait for a quiet machine: what, idle %, seconds waited, load. */
const waits = [];
async function quiet(what) {
  const w = await waitQuiet(budget, what);
  waits.push({ what, ...w });
  return w;
}
function bytes(b) {
  if (b == null) return '–';
  if (b >= 1 << 20) return `${+(b / (1 << 20)).toFixed(2)} MiB`;
  return `${+(b / 1024).toFixed(2)} KiB`;
}

/** Runs the native binary; returns its JSON (or { error }). */
function native(args, file) {
  say(`native: parlab-bench ${args.join(' ')}`);
  const r = spawnSync(o.bin, [...args, '--json', file], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (!existsSync(file)) return { error: `parlab-bench ${args[0]} exited with ${r.status ?? r.signal}` };
  const json = JSON.parse(readFileSync(file, 'utf8'));
  if (r.status !== 0) json.error = `parlab-bench ${args[0]} exited with ${r.status ?? r.signal}`;
  return json;
}

/** Opens `hash` in a fresh page and waits for the lesson's run; returns the page (still open),
 *  the run state and text, the env attributes and the cores others used meanwhile. */
async function browse(browser, app, hash, timeout) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = watch(page, [app.url]);
  const cpu = new CpuWatch();
  const t0 = Date.now();
  const out = { page, url: hash };
  try {
    await page.goto(`${app.url}/${hash}`);
    const env = page.getByTestId('env');
    await env.waitFor({ timeout: 60_000 });
    const state = page.getByTestId('run-state');
    await state.and(page.locator(':is([data-state="done"],[data-state="error"],[data-state="cancelled"],[data-state="unavailable"])'))
      .waitFor({ timeout });
    out.state = await state.getAttribute('data-state');
    out.text = (await state.textContent()).trim();
    out.mode = await env.getAttribute('data-mode');
    out.pool = Number(await env.getAttribute('data-pool'));
    out.cores = Number(await env.getAttribute('data-cores'));
  } catch (e) {
    out.state = 'error';
    out.text = String(e.message ?? e).split('\n')[0];
  }
  out.others_cores = cpu.stop();
  out.seconds = (Date.now() - t0) / 1000;
  out.console_errors = problems.errors;
  return out;
}
const dataJson = async (page, testid) => JSON.parse(await page.getByTestId(testid).getAttribute('data-json'));

// ---------------------------------------------------------------------------------------------
// SIMD

const KERNELS = ['sum', 'dot', 'saxpy', 'mandelbrot'];

async function simdSection(browser, app) {
  const common = ['--size', o.size, '--threads', o.threads, '--reps', o.reps];
  const results = [];
  for (const kernel of KERNELS) {
    const r = { kernel };
    r.wait_native = await quiet(`simd ${kernel} native`);
    const nat = native(['simd', '--kernel', kernel, ...common], join(o['json-dir'], `simd-native-${kernel}.json`));
    r.machine = nat.machine;
    r.available = nat.available;
    r.native = nat.runs?.[0];
    r.native_error = nat.error ?? r.native?.error;
    r.wait_wasm = await quiet(`simd ${kernel} wasm`);
    say(`wasm: #/simd?kernel=${kernel} (chromium)`);
    const hash = `#/simd?kernel=${kernel}&size=${o.size}&threads=${o.threads}&reps=${o.reps}&pool=${TOP}&run=1`;
    const b = await browse(browser, app, hash, TIMEOUT);
    const wasm = { url: hash, state: b.state, mode: b.mode, pool: b.pool, cores: b.cores, others_cores: b.others_cores, seconds: b.seconds };
    if (b.state === 'done') {
      wasm.rows = await dataJson(b.page, 'results');
      wasm.combined = await dataJson(b.page, 'simd-combined');
      wasm.checks = await dataJson(b.page, 'simd-checks');
    } else {
      wasm.error = `run ended in state ${b.state}: ${b.text}`;
    }
    if (b.console_errors.length) wasm.console_errors = b.console_errors;
    await b.page.close();
    r.wasm = wasm;
    writeFileSync(join(o['json-dir'], `simd-wasm-${kernel}.json`), JSON.stringify(wasm, null, 2) + '\n');
    console.error(`  wasm ${kernel}: ${wasm.error ?? wasm.rows.map((x) => `${x.variant}@${x.threads} ${x.median_ms.toFixed(1)} ms`).join(', ')} (others ${fmt(wasm.others_cores)} cores)`);
    results.push(r);
  }
  return results;
}

function simdMarkdown(results, chromium) {
  const L = [];
  const line = (s = '') => L.push(s);
  const row = (rows, variant, threads) => rows?.find((x) => x.variant === variant && x.threads === threads);
  const comb = (list, variant, threads) => list?.find((c) => c.variant === variant && c.threads === threads);
  const nrows = (r) => r.native?.report?.rows;
  const ncomb = (r) => r.native?.report?.combined;
  const hasAvx2 = results.some((r) => row(nrows(r), 'avx2', 1));
  const m = results.find((r) => r.machine)?.machine ?? {};
  const spreadOf = (x) => (x ? (x.max_ms - x.min_ms) / x.median_ms : null);
  const noisy = (r) => (r.native?.others_cores ?? 0) > BUSY_CORES || (r.wasm.others_cores ?? 0) > BUSY_CORES
    || [...(nrows(r) ?? []), ...(r.wasm.rows ?? [])].some((x) => spreadOf(x) > NOISY_SPREAD);

  line();
  line('## SIMD lesson: native SSE2 / AVX2 vs wasm `simd128` (issue 14)');
  line();
  line(`Measured by \`tests/bench-labs.mjs\` (part of \`./bench\`) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Per kernel,`);
  line(`first natively: \`parlab-bench simd --kernel K --size ${o.size} --threads ${o.threads} --reps ${o.reps}\` on a rayon pool,`);
  line(`variants ${(results.find((r) => r.available)?.available ?? []).join(', ')} (the binary is built for ${(m.target_features ?? []).join(', ') || 'the default x86-64 target'}; AVX2 + FMA`);
  line('code is chosen at run time when the CPU has it); then in the browser: the SIMD lesson');
  line(`\`#/simd?kernel=K&size=${o.size}&threads=${o.threads}&reps=${o.reps}&pool=${TOP}&run=1\` in ${chromium} (headless),`);
  line('variants scalar and `simd128`, read from its `data-testid="results"` and `simd-combined`');
  line('`data-json`. Same kernels (`parlab_kernels::simd`) and protocol on both sides: one warm-up,');
  line(`then ${o.reps} timed runs per variant and thread count; medians.`);
  line();
  line('### One thread: scalar time and what SIMD alone gains');
  line();
  line('SIMD× = scalar median ÷ SIMD median at 1 thread. `simd128` and SSE2 are both 4 × f32 in');
  line('128-bit registers, so they compare like with like; AVX2 has 8 × f32 in 256-bit registers');
  line('(and FMA in `dot`), twice the lanes of anything WebAssembly offers today, so its column is');
  line('what the browser cannot reach rather than a fair opponent. "Others" = cores other processes');
  line('used meanwhile, native / wasm.');
  line();
  line(`| Kernel | Scalar ms native | Scalar ms wasm | wasm/native | SIMD× wasm \`simd128\` (4 lanes) | SIMD× native SSE2 (4 lanes) |${hasAvx2 ? ' SIMD× native AVX2 (8 lanes) |' : ''} Others n / w |`);
  line(`|---|--:|--:|--:|--:|--:|${hasAvx2 ? '--:|' : ''}--:|`);
  for (const r of results) {
    const ns = row(nrows(r), 'scalar', 1);
    const ws = row(r.wasm.rows, 'scalar', 1);
    const w128 = row(r.wasm.rows, 'simd128', 1);
    const sse = row(nrows(r), 'sse2', 1);
    const avx = row(nrows(r), 'avx2', 1);
    line(`| ${r.kernel} | ${ms(ns?.median_ms)} | ${ms(ws?.median_ms)} | ${fmt(ws && ns ? ws.median_ms / ns.median_ms : null)} | ${fmt(w128?.simd_speedup)} | ${fmt(sse?.simd_speedup)} |${hasAvx2 ? ` ${fmt(avx?.simd_speedup)} |` : ''} ${fmt(r.native?.others_cores)} / ${fmt(r.wasm.others_cores)} |`);
  }
  line();
  line(`### ${TWO} threads: do SIMD and threads multiply?`);
  line();
  line(`Product = SIMD× (1 thread) × threads× (scalar, ${TWO} ÷ 1 thread): what independent speedups would`);
  line(`give. Measured = scalar 1-thread median ÷ the SIMD variant's ${TWO}-thread median. Ratio = measured ÷`);
  line('product: 1 when they multiply, below 1 when the SIMD code scales worse with threads (it already');
  line('uses more of what the cores share: caches and memory bandwidth).');
  line();
  const variants = [['wasm', 'simd128'], ['native', 'sse2'], ...(hasAvx2 ? [['native', 'avx2']] : [])];
  line(`| Kernel | ${variants.map(([env, v]) => `${env} ${v}: product / measured (ratio)`).join(' | ')} |`);
  line(`|---|${variants.map(() => '--:|').join('')}`);
  for (const r of results) {
    const cells = variants.map(([env, v]) => {
      const c = comb(env === 'wasm' ? r.wasm.combined : ncomb(r), v, TWO);
      return c ? `${fmt(c.product)} / ${fmt(c.measured)} (${fmt(c.ratio)})` : '–';
    });
    line(`| ${r.kernel} | ${cells.join(' | ')} |`);
  }
  line();
  const checks = results.flatMap((r) => [
    ...(r.native?.report?.checks ?? []).map((c) => ({ ...c, kernel: r.kernel, env: 'native' })),
    ...(r.wasm.checks ?? []).map((c) => ({ ...c, kernel: r.kernel, env: 'wasm' })),
  ]);
  const bad = checks.filter((c) => !(c.exact ? c.abs_error === 0 : c.abs_error <= c.bound));
  const errors = results.flatMap((r) => [r.native_error && `${r.kernel} native: ${r.native_error}`, r.wasm.error && `${r.kernel} wasm: ${r.wasm.error}`]).filter(Boolean);
  line(bad.length === 0
    ? `Answers: all ${checks.length} checks passed (saxpy and Mandelbrot identical to scalar; sum and dot within their rounding bounds).`
    : `Answers: ${bad.length} of ${checks.length} checks FAILED: ${bad.map((c) => `${c.kernel} ${c.env} ${c.variant}`).join(', ')}.`);
  for (const e of errors) line(`- FAILED: ${e}`);
  line();
  line('Target (issue 14): **f32 sum and dot: `simd128` ≥ 2 × scalar on 1 thread in Chromium.**');
  line();
  line('| Kernel | wasm `simd128` SIMD× | Needed | Result | native SSE2, same 4 lanes (reference) |');
  line('|---|--:|--:|---|--:|');
  for (const r of results.filter((x) => ['sum', 'dot'].includes(x.kernel))) {
    const s = row(r.wasm.rows, 'simd128', 1)?.simd_speedup;
    let v = verdict(s == null ? null : s >= 2);
    if (s != null && Math.abs(s - 2) / 2 < 0.05) v += ' (borderline: within 5 % of the threshold)';
    if (noisy(r)) v += ' (noisy: others > 0.15 cores or spread > 25 %)';
    line(`| ${r.kernel} | ${fmt(s)} | ≥ 2 | ${v} | ${fmt(row(nrows(r), 'sse2', 1)?.simd_speedup)} |`);
  }
  line();
  return L.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Your machine

/** lscpu's caches, one instance each: { L1d, L1i, L2, L3: bytes, line: bytes }, and the
 *  physical cores (distinct core ids). */
function lscpuCaches() {
  const out = {};
  const p = spawnSync('lscpu', ['-p=CORE,SOCKET'], { encoding: 'utf8' });
  const ids = new Set((p.stdout ?? '').split('\n').filter((l) => l && !l.startsWith('#')));
  if (ids.size > 0) out.cores = ids.size;
  const r = spawnSync('lscpu', ['-B', '-C=NAME,ONE-SIZE,COHERENCY-SIZE'], { encoding: 'utf8' });
  for (const l of (r.stdout ?? '').split('\n').slice(1)) {
    const [name, one, line] = l.trim().split(/\s+/);
    if (name && Number(one) > 0) {
      out[name] = Number(one);
      if (Number(line) > 0) out.line = Number(line);
    }
  }
  return out;
}

async function machineSection(browser, app) {
  const res = { lscpu: lscpuCaches() };
  res.wait_native = await quiet('machine native');
  res.native = native(['machine'], join(o['json-dir'], 'machine-native.json'));
  res.wait_wasm = await quiet('machine wasm');
  // The lesson probes cores up to its pool; the native run probes 2 × the reported cores (to
  // find hyper-threads). The lesson's own "reload with 2N pool threads" button does the same.
  const pool = 2 * cpus().length;
  const hash = `#/machine?extent=${o.extent}&pool=${pool}&run=1`;
  say(`wasm: ${hash} (chromium)`);
  const b = await browse(browser, app, hash, TIMEOUT);
  const wasm = { url: hash, state: b.state, mode: b.mode, pool: b.pool, cores: b.cores, others_cores: b.others_cores, seconds: b.seconds };
  if (b.state === 'done') {
    wasm.card = await dataJson(b.page, 'machine-card');
    wasm.memory = await dataJson(b.page, 'cache-levels');
    wasm.sharing = await dataJson(b.page, 'machine-sharing');
    wasm.bandwidth = await dataJson(b.page, 'machine-bandwidth');
    wasm.cores_probe = await dataJson(b.page, 'machine-cores').catch(() => null);
  } else {
    wasm.error = `run ended in state ${b.state}: ${b.text}`;
  }
  if (b.console_errors.length) wasm.console_errors = b.console_errors;
  await b.page.close();
  res.wasm = wasm;
  writeFileSync(join(o['json-dir'], 'machine-wasm.json'), JSON.stringify(wasm, null, 2) + '\n');
  return res;
}

function machineMarkdown(res, chromium) {
  const L = [];
  const line = (s = '') => L.push(s);
  const n = res.native;
  const w = res.wasm;
  const nc = n.card;
  const wc = w.card;
  const lc = res.lscpu;
  const sides = [
    { name: 'native', card: nc, sharing: n.sharing, others: n.others_cores, secs: n.seconds, error: n.error },
    { name: 'wasm', card: wc, sharing: w.sharing, others: w.others_cores, secs: w.seconds, error: w.error },
  ];
  const level = (card, label) => card?.cache_levels?.find((l) => l.label === label);
  const fsAt = (s, t) => s?.points?.find((p) => p.threads === t)?.slowdown;
  const LSCPU = { L1: lc.L1d, L2: lc.L2, L3: lc.L3 };
  const labels = [...new Set(sides.flatMap((s) => (s.card?.cache_levels ?? []).map((l) => l.label)))];

  line();
  line('## Your machine lesson: native vs wasm (issue 13)');
  line();
  line(`Measured by \`tests/bench-labs.mjs\` (part of \`./bench\`) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. First natively:`);
  line('`parlab-bench machine` (a rayon pool of 2 × the reported cores, working sets to 256 MiB); then');
  line(`the lesson \`${w.url}\` in ${chromium} (headless; \`pool=${w.pool ?? '?'}\` so that its cores`);
  line('probe also goes to 2 × the reported cores, as the lesson\'s "reload with … pool threads" button');
  line('does), read from its `machine-card`, `cache-levels`, `machine-sharing` and `machine-bandwidth`');
  line('`data-json`. Both sides run the same code (`parlab_kernels::machine::run_all`). The lscpu column');
  line('is one instance of each cache (per core for L1d and L2) and `lscpu -p`\'s distinct cores.');
  line();
  line('| Quantity | Native | Wasm (Chromium) | lscpu / expected |');
  line('|---|--:|--:|--:|');
  const r = (q, f, exp = '') => line(`| ${q} | ${sides.map((s) => (s.card ? f(s) : '–')).join(' | ')} | ${exp} |`);
  const logical = cpus().length;
  const smt = lc.cores && logical > lc.cores;
  r('Reported cores', (s) => String(s.card.reported_cores), `${logical} logical CPUs`);
  r('Measured cores (cores probe knee)', (s) => String(s.card.measured_cores), `${lc.cores ?? '?'} physical cores`);
  r('Logical threads (probe)', (s) => String(s.card.logical_threads), smt ? `${logical} (SMT)` : `${logical} (no SMT)`);
  r('SMT gain (2 threads per core ÷ 1)', (s) => fmt(s.card.smt_gain), smt ? '> 1' : '1.00 (no SMT)');
  r('STREAM triad, 1 thread', (s) => `${fmt(s.card.bandwidth_one_thread_gbs, 1)} GB/s`);
  r('STREAM triad, all threads', (s) => `${fmt(s.card.bandwidth_all_threads_gbs, 1)} GB/s (${s.card.bandwidth_threads} thr.)`);
  for (const label of labels) {
    const exp = LSCPU[label] ? bytes(LSCPU[label]) : label === 'DRAM' ? 'main memory' : '–';
    r(`Cache level ${label}: size, latency (random order)`, (s) => {
      const l = level(s.card, label);
      const random = l?.random_latency_ns == null ? '' : ` (${fmt(l.random_latency_ns)})`;
      return l ? `${l.size_bytes == null ? `> ${bytes(l.from_bytes)}` : bytes(l.size_bytes)}, ${fmt(l.latency_ns)}${random} ns` : 'not found';
    }, exp);
  }
  r('Cache line (stride sweep)', (s) => (s.card.line_bytes ? `${s.card.line_bytes} B` : 'not found'), lc.line ? `${lc.line} B` : '–');
  r(`False sharing slowdown, ${TWO} threads (packed ÷ padded)`, (s) => `${fmt(fsAt(s.sharing, TWO) ?? s.card.false_sharing_slowdown)}×`);
  r('Peak f64 GFLOP/s, 1 thread', (s) => fmt(s.card.peak_gflops_one_thread));
  r('Peak f64 GFLOP/s, all threads', (s) => fmt(s.card.peak_gflops));
  line(`| Others (cores used by other processes) | ${sides.map((s) => fmt(s.others)).join(' | ')} | |`);
  line(`| Seconds | ${fmt(n.seconds, 1)} | ${fmt(w.seconds, 1)} (whole page) | |`);
  line();
  for (const s of sides) if (s.error) line(`- FAILED (${s.name}): ${s.error}`);
  if (sides.some((s) => s.error)) line();

  // Targets.
  line('Targets (issue 13), per side:');
  line();
  line('| Target | Needed | Native | Wasm (Chromium) |');
  line('|---|---|---|---|');
  const t = (name, need, f) => line(`| ${name} | ${need} | ${sides.map((s) => (s.card ? f(s) : 'n/a')).join(' | ')} |`);
  t(`Measured cores = lscpu's physical cores`, `= ${lc.cores ?? '?'}`, (s) => `${s.card.measured_cores}: ${verdict(lc.cores ? s.card.measured_cores === lc.cores : null)}`);
  t(`False-sharing slowdown at ${TWO} threads`, '≥ 1.5×', (s) => {
    const x = fsAt(s.sharing, TWO) ?? s.card.false_sharing_slowdown;
    return `${fmt(x)}×: ${verdict(x == null ? null : x >= 1.5)}`;
  });
  t('Triad bandwidth at 2 threads vs 1', '≥ 1 thread', (s) => {
    const one = s.card.bandwidth_one_thread_gbs;
    const two = s.card.bandwidth_threads >= 2 ? s.card.bandwidth_all_threads_gbs : null;
    return `${fmt(two, 1)} vs ${fmt(one, 1)} GB/s: ${verdict(two == null ? null : two >= one)}`;
  });
  t('Cache steps within 2× of lscpu sizes', 'L1, L2, L3 each found, size in [½, 2] × lscpu', (s) => {
    const found = (s.card.cache_levels ?? []).filter((l) => l.size_bytes != null && l.label !== 'DRAM');
    if (found.length === 0) return `no step found: ${verdict(false)}`;
    const parts = found.map((l) => {
      const ref = LSCPU[l.label];
      const ratio = ref ? l.size_bytes / ref : null;
      return { ok: ratio != null && ratio >= 0.5 && ratio <= 2, text: `${l.label} ${ratio == null ? 'no lscpu level' : `${fmt(ratio)}×`}` };
    });
    const missing = Object.keys(LSCPU).filter((k) => LSCPU[k] && !found.some((l) => l.label === k));
    const ok = parts.every((p) => p.ok) && missing.length === 0;
    return `${parts.map((p) => p.text).join(', ')}${missing.length ? `; not found: ${missing.join(', ')}` : ''}: ${verdict(ok)}`;
  });
  line();
  line('Levels are found on the page-by-page chase (one TLB miss per 64 loads); the fully random');
  line('chase\'s latency per level, in brackets above, adds what missing the TLB costs (nested page');
  line('walks in this KVM guest). lscpu reports the chip\'s caches; on a VM the last cache is shared');
  line('with other tenants, and a pointer chase, revisiting each line once per lap, keeps only part of');
  line('it: an L3 far below lscpu\'s is this VM\'s share, not a detector error (the streaming read of');
  line('the same sizes stays above DRAM bandwidth to a few MiB further).');
  line();
  const busy = sides.filter((s) => (s.others ?? 0) > BUSY_CORES);
  if (busy.length) {
    line(`Noisy: other processes used more than ${BUSY_CORES} cores during the ${busy.map((s) => s.name).join(' and ')} run; the verdicts are weak.`);
    line();
  }
  return L.join('\n');
}

// ---------------------------------------------------------------------------------------------

/** The section's note on load and waiting: its waits are those whose `what` starts with `key`. */
function waitNote(key, before, after) {
  const mine = waits.filter((x) => x.what.startsWith(key));
  const busy = mine.filter((x) => !x.quiet);
  const spent = mine.reduce((s, x) => s + x.waited, 0);
  return [
    '',
    `- Load average (1, 5, 15 min): before ${before}, after ${after}; 1-min load when each measurement`,
    `  started: ${mine.map((x) => `${x.what.slice(key.length + 1)} ${x.load.split(' ')[0]}`).join(', ')}.`,
    busy.length === 0
      ? `- Quiet check: every measurement started on an idle machine (≥ 90 % idle for 2 s; waited ${spent} s in all, from a budget of ${QUIET_BUDGET} s for the whole script).`
      : `- Quiet check: the ${QUIET_BUDGET} s budget for waiting ran out; started on a busy machine: ${busy.map((x) => `${x.what} (${x.idle} % idle)`).join(', ')}. Treat those numbers as noisy.`,
    '',
  ].join('\n');
}

const app = await serveDir(resolve(o.dist));
const browser = await launch();
const chromium = `Chromium ${browser.version()}`;
let md = '';
let failed = false;
try {
  if (ONLY.includes('simd')) {
    const before = loadavg();
    const simd = await simdSection(browser, app);
    md += simdMarkdown(simd, chromium) + waitNote('simd', before, loadavg());
    failed ||= simd.some((r) => r.native_error || r.wasm.error);
  }
  if (ONLY.includes('machine')) {
    const before = loadavg();
    const machine = await machineSection(browser, app);
    md += machineMarkdown(machine, chromium) + waitNote('machine', before, loadavg());
    failed ||= Boolean(machine.native.error || machine.wasm.error);
  }
} finally {
  await browser.close();
  app.server.close();
}
console.log(md);
if (o.out) appendFileSync(o.out, md);
process.exit(failed ? 1 : 0);
