// Side-by-side table of a native and one or more wasm benchmark reports (see ./bench).
//
// usage: node tests/bench-table.mjs --native FILE... --wasm FILE... [--chromium "Chromium 156 ..."]
//          [--load "..."] [--quiet "..."] [--retries "..."] [--out BENCHMARKS.md]
// Each FILE is a report of `parlab-bench --json` (native) or `tests/bench-wasm.mjs --json`
// (wasm); repeat a flag to merge several (./bench measures one workload at a time, alternating
// native and wasm). Wasm runs are grouped by their `env` (wasm-threads, wasm-workers).
// Prints markdown to stdout and, with --out, writes it there (replacing the file).
import { readFileSync, statSync, writeFileSync } from 'node:fs';

/** Throughput targets (issue #16): native_ms / wasm_ms at 1 thread, per mode. `workers` mode
 * pays a postMessage round trip per chunk, hence its lower bar. */
const throughputMin = (env) => (env.endsWith('-workers') ? 0.85 : 0.9);
/** Scaling target (issue #16): wasm speedup / native speedup at 2 threads. */
const SCALING_MIN = 0.97;
const SCALING_KERNELS = ['mandelbrot', 'pi'];

function parseArgs(argv) {
  const o = { native: [], wasm: [], chromium: null, load: null, quiet: null, retries: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].replace(/^--/, '');
    const value = argv[++i];
    if (!(flag in o) || value === undefined) {
      console.error(`bench-table: bad argument ${argv[i - 1]}`);
      process.exit(2);
    }
    if (Array.isArray(o[flag])) o[flag].push(value); else o[flag] = value;
  }
  if (o.native.length === 0 || o.wasm.length === 0) {
    console.error('bench-table: needs --native FILE and at least one --wasm FILE');
    process.exit(2);
  }
  return o;
}

const o = parseArgs(process.argv.slice(2));
const read = (path) => JSON.parse(readFileSync(path, 'utf8'));
/** Merges reports: the first one's machine, every run. */
const merge = (reports) => ({ machine: reports[0].machine, runs: reports.flatMap((r) => r.runs) });
const native = merge(o.native.map(read));
const wasmReports = o.wasm.map(read);
const wasms = [...new Set(wasmReports.flatMap((r) => r.runs.map((run) => run.env)))].map((env) => ({
  machine: wasmReports[0].machine,
  runs: wasmReports.flatMap((r) => r.runs).filter((run) => run.env === env),
}));

const fmt = (x, digits = 2) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(digits));
const ms = (x) => (x == null ? '–' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
/** Above this many cores used by others, a measurement shared its cores. */
const BUSY_CORES = 0.15;
/** Cores other processes used during a workload's run (each report's `others_cores`). */
const others = (workload, env) =>
  (env === 'native' ? nat : wasms.flatMap((w) => w.runs)).find((r) => r.workload === workload && r.env === env)?.others_cores;
const spreadOf = (r) => (r.max_ms - r.min_ms) / r.median_ms;
const spread = (r) => (r ? `${Math.round(100 * spreadOf(r))} %` : '–');
/** A target is noisy if a row it depends on has runs further apart than this (max − min over
 * the median): on this shared VM that means another process took a core during the run. */
const NOISY = 0.25;
/** A value this close to its threshold (relative) is within this machine's run-to-run noise. */
const BORDERLINE = 0.05;
const rowAt = (run, threads) => run?.rows?.find((r) => r.threads === threads);
const runOf = (report, workload) => report.runs.find((r) => r.workload === workload);
const envOf = (report) => report.runs.find((r) => r.env)?.env ?? 'wasm';

const nat = native.runs;
const first = nat[0] ?? {};
const threads = [...new Set(nat.flatMap((r) => r.rows.map((row) => row.threads)))].sort((a, b) => a - b);
const top = threads.includes(2) ? 2 : Math.max(...threads);
const m = native.machine;
const wm = wasms[0].machine;
const simd = wm.target_features?.includes('+simd128');

const out = [];
const line = (s = '') => out.push(s);

line('# Benchmarks: native vs WebAssembly');
line();
const measured = statSync(o.native[0]).mtime.toISOString().slice(0, 16).replace('T', ' ');
line(`Measured by \`./bench\` on ${measured} UTC (this file is`);
line('overwritten on every run; `./bench --help` lists the options). The same kernels');
line('(`parlab-kernels`, `KernelSpec::new(workload, size)`) and the same measurement protocol (one');
line('warm-up, then `reps` interleaved rounds over the thread counts; median wall time, fork and join');
line('included; every answer checked against the 1-thread run), timed twice: natively by');
line('`parlab-bench` on a rayon pool, and in Chromium by the Amdahl lesson itself');
line('(`#/amdahl?…&run=1`), whose `data-testid="results"` rows have the same fields. `./bench` measures');
line('one workload at a time, native then wasm, so a busy spell of the machine hits both sides.');
line();
line('## Setup');
line();
line(`- Machine: ${m.cpu ?? 'unknown CPU'}, ${m.logical_cores} logical cores, ${m.os}. A shared, noisy`);
line('  2-vCPU cloud VM: other tenants and this machine\'s own builds take cores at random, so');
line('  differences of ~10 % between runs are noise, not signal.');
if (o.load) line(`- Load average (1, 5, 15 min): ${o.load}.`);
if (o.quiet) line(`- Quiet check: ${o.quiet}.`);
if (o.retries) {
  line(`- Repeats: a workload is measured again (both sides) when other processes used more than ${BUSY_CORES}`);
  line(`  cores during it, and the attempt with the least such load is kept (chosen by load, never by`);
  line(`  result; every attempt stays in \`target/bench/\`): ${o.retries}.`);
}
line(`- Browser: ${o.chromium ?? wm.browser ?? 'unknown'} (headless, via playwright-core); \`navigator.hardwareConcurrency\` = ${wm.hardware_concurrency ?? '?'}.`);
// One line per Firefox mode (there is one report file per workload).
const firefoxReports = new Map(wasmReports.filter((r) => envOf(r).startsWith('firefox')).map((r) => [envOf(r), r]));
for (const r of firefoxReports.values()) {
  line(`- Browser for \`${envOf(r)}\`: ${r.machine.browser ?? 'Firefox'} (headless, puppeteer-core over WebDriver BiDi); \`navigator.hardwareConcurrency\` = ${r.machine.hardware_concurrency ?? '?'}.`);
}
line(`- Native: \`parlab-bench\`, release profile (LTO, codegen-units 1; SIMD compiled in: ${(m.target_features ?? []).join(', ') || 'unknown'}), one rayon pool of ${Math.max(...threads)} threads.`);
const modules = [...new Set(wasms.flatMap((w) => w.runs.map((r) => r.wasm_module)).filter(Boolean))];
line(`- Wasm: \`dist/\` release build (\`${modules.join('`, `') || wm.wasm_module || '?'}\`, ${simd ? 'with `simd128`' : 'no `simd128`'}), the Amdahl lesson with \`pool=${Math.max(...threads)}\`; modes: ${wasms.map((w) => `\`${envOf(w)}\``).join(', ')}.`);
if (modules.length > 1) line('  **Warning:** dist/ was rebuilt during the runs, so not every workload ran the same module.');

line(`- Size \`${first.size}\`, ${first.reps} timed run${first.reps === 1 ? '' : 's'} per thread count, thread counts ${threads.join(', ')}, schedule \`${first.schedule}\`, serial share ${first.serial}.`);
line();

const targets = [];
for (const report of wasms) {
  const env = envOf(report);
  line(`## Results: native vs \`${env}\``);
  line();
  line('Times are medians in ms. Speedup = 1-thread median / this median. "wasm/native" > 1 means');
  line('wasm is slower. "S ratio" = wasm speedup ÷ native speedup (1 = wasm scales as well as');
  line('native). Spread = (max − min) / median over the timed runs, native / wasm. "Others" = cores');
  line('that other processes on the machine used meanwhile (CPU time not ours / wall time), native / wasm.');
  line();
  line('| Workload | Threads | Native ms | Wasm ms | Native speedup | Wasm speedup | wasm/native time | S ratio | Spread n / w | Others n / w |');
  line('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const n of nat) {
    const w = runOf(report, n.workload);
    if (n.error || !w || w.error) {
      line(`| ${n.workload} | – | ${n.error ? 'error' : '–'} | ${!w ? 'not run' : w.error ? 'error' : '–'} | | | | | | |`);
      continue;
    }
    for (const t of threads) {
      const a = rowAt(n, t);
      const b = rowAt(w, t);
      if (!a || !b) continue;
      line(`| ${n.workload} | ${t} | ${ms(a.median_ms)} | ${ms(b.median_ms)} | ${fmt(a.speedup)} | ${fmt(b.speedup)} | ${fmt(b.median_ms / a.median_ms)} | ${fmt(b.speedup / a.speedup)} | ${spread(a)} / ${spread(b)} | ${t === threads[0] ? `${fmt(others(n.workload, 'native'))} / ${fmt(others(n.workload, env))}` : ''} |`);
    }
  }
  const mismatches = nat.filter((n) => {
    const a = n.rows?.[0]?.value;
    const b = runOf(report, n.workload)?.rows?.[0]?.value;
    return a != null && b != null && a !== b;
  });
  line();
  line(mismatches.length
    ? `**Different answers** native vs wasm for: ${mismatches.map((n) => n.workload).join(', ')}.`
    : 'Native and wasm computed the same answer for every workload measured on both sides.');
  for (const run of [...nat, ...report.runs].filter((r) => r.error)) {
    line();
    line(`- ${run.env} ${run.workload}: error: ${run.error}`);
  }
  line();

  for (const n of nat) {
    const w = runOf(report, n.workload);
    const a1 = rowAt(n, 1);
    const b1 = rowAt(w, 1);
    const value = a1 && b1 ? a1.median_ms / b1.median_ms : null;
    const noise = (...rows) => Math.max(0, ...rows.filter(Boolean).map(spreadOf));
    const busy = Math.max(others(n.workload, 'native') ?? 0, others(n.workload, env) ?? 0);
    targets.push({
      env, kind: 'throughput', workload: n.workload, value, min: throughputMin(env), noise: noise(a1, b1), busy,
    });
    if (SCALING_KERNELS.includes(n.workload) && top > 1) {
      const a = rowAt(n, top);
      const b = rowAt(w, top);
      const v = a && b ? b.speedup / a.speedup : null;
      targets.push({
        env, kind: 'scaling', workload: n.workload, value: v, min: SCALING_MIN, a, b, noise: noise(a1, b1, a, b), busy,
      });
    }
  }
}

const pass = (t) => t.value != null && t.value >= t.min;
const noisy = (t) => t.noise > NOISY || t.busy > BUSY_CORES;
const verdict = (t) => {
  if (t.value == null) return 'NO DATA';
  const v = pass(t) ? 'PASS' : 'MISS';
  const why = [
    t.busy > BUSY_CORES ? `noisy: others used ${fmt(t.busy)} cores` : null,
    t.noise > NOISY ? `noisy: spread ${Math.round(100 * t.noise)} %` : null,
  ].filter(Boolean);
  if (Math.abs(t.value / t.min - 1) < BORDERLINE) why.push(`borderline: within ${100 * BORDERLINE} % of the threshold`);
  return why.length ? `${v} (${why.join('; ')})` : v;
};
line('## Targets');
line();
line(`- **Scaling parity**: wasm speedup at ${top} threads ≥ ${SCALING_MIN} × native speedup, for ${SCALING_KERNELS.join(' and ')}.`);
line(`- **Single-thread throughput**: native ms / wasm ms at 1 thread ≥ ${throughputMin('wasm-threads')} in \`threads\` mode, ≥ ${throughputMin('wasm-workers')} in \`workers\` mode, for every kernel.`);
line();
line(`"Noisy" marks a target measured while other processes used more than ${BUSY_CORES} cores on average,`);
line(`or whose rows have a spread above ${100 * NOISY} %: its verdict is weak; rerun \`./bench\` when the`);
line(`machine is quiet. "Borderline" marks a value within ${100 * BORDERLINE} % of its threshold, inside this`);
line('machine\'s run-to-run variation.');
line();
line('| Mode | Target | Workload | Measured | Needed | Result |');
line('|---|---|---|--:|--:|---|');
for (const t of targets) {
  const what = t.kind === 'scaling' ? `S ratio at ${top} threads` : 'throughput at 1 thread';
  line(`| \`${t.env}\` | ${what} | ${t.workload} | ${fmt(t.value)} | ≥ ${t.min} | ${verdict(t)} |`);
}
line();

// What passed and, for each miss, the likely reason (the numbers above are what was measured;
// these explanations are hypotheses, stated as such).
const ops = wm.simd_instructions;
const opCount = (op) => (ops ? ops[op] ?? 0 : null);
const WHY_THROUGHPUT = {
  matmul: !simd || opCount('f32x4.mul') === 0
    ? 'matmul: natively LLVM vectorises the f32 multiply-add inner loop (SSE2, 4 lanes); the wasm module has no `f32x4.mul`, so there the same loop runs scalar'
    : 'matmul: both sides run the same register-blocked 4 × 8 tile in explicit 4-lane vectors (SSE2 `mulps`/`addps` natively, `f32x4.mul`/`f32x4.add` in wasm; `crates/kernels/src/matmul/tile.rs`), so what remains is the engine\'s register allocation and addressing against LLVM\'s, and the L3 this VM shares with other tenants (the 2 × 7.5 MiB matrices do not fit its share), which moves the row most between runs',
  reduce: 'reduce: a memory-bound sum over a 64 MiB array, limited by memory bandwidth that the 2-vCPU VM shares with the browser\'s own processes; natively the widening u32→u64 adds are vectorised' + (simd ? '' : ' (this wasm build has no simd128)'),
  primes: 'primes: trial division is bound by integer division; it runs in 32 bits for every number below 2^32 (64-bit `i64.rem_u` measured 0.85 of native in both engines, 32-bit 0.94–1.0 in a standalone V8 run), so what remains is V8\'s loop code against LLVM\'s and noise',
  pi: "pi: samples come from xoshiro256++, a serial recurrence on four u64 words. LLVM's SLP vectoriser used to pair those words into `i64x2` lanes with extract/replace/shuffle around every step (seen with wasm-dis), which ran at 0.46 of native speed; the wasm build now turns SLP off (`.cargo/config.toml`), and the hit test is a shift, not a comparison turned into a number. What remains is the engine's scalar code against LLVM's (the two loops are the same 21 operations)",
  mandelbrot: 'mandelbrot: a dependent f64 chain per pixel; the gap is V8\'s register allocation and loop code, not the arithmetic',
  firefox: 'Firefox: SpiderMonkey\'s optimising wasm compiler (Ion) generates different code from V8\'s; parlab ships one module for every engine',
};
const byEnv = (env) => targets.filter((t) => t.env === env);
line('## Reading the numbers');
line();
for (const report of wasms) {
  const env = envOf(report);
  const ts = byEnv(env);
  const passed = ts.filter(pass);
  const missed = ts.filter((t) => !pass(t));
  line(`**\`${env}\`: ${passed.length} of ${ts.length} targets pass.**` +
    (missed.length ? ` Missed: ${missed.map((t) => `${t.workload} ${t.kind}`).join(', ')}.` : ''));
  line();
  if (missed.some((t) => t.value != null)) {
    line('Likely reasons (hypotheses from the kernels\' code, not measured separately):');
    line();
  }
  if (env === 'wasm-workers' && missed.some((t) => t.kind === 'throughput')) {
    line('- `workers` mode: even on 1 worker every chunk is a `postMessage` round trip timed on the page, so its 1-thread time includes messaging that native and `threads` mode do not pay.');
  }
  const noisyMisses = missed.filter((t) => t.value != null && noisy(t));
  if (noisyMisses.length) {
    line(`- Measured while the machine was busy (see "noisy" above), so possibly not the code: ${noisyMisses.map((t) => `${t.workload} ${t.kind}`).join(', ')}.`);
  }
  for (const t of missed.filter((t) => t.kind === 'throughput' && t.value != null)) {
    const engineNote = env.startsWith('firefox') ? ` ${WHY_THROUGHPUT.firefox}.` : '';
    line(`- ${WHY_THROUGHPUT[t.workload] ?? `${t.workload}: slower code generation in V8`} (measured ${fmt(t.value)} of native speed).${engineNote}`);
  }
  const scaling = missed.filter((t) => t.kind === 'scaling' && t.value != null);
  if (scaling.length) {
    const what = scaling.map((t) => `${t.workload} ${fmt(t.b.speedup)}× vs ${fmt(t.a.speedup)}×`).join(', ');
    const why = env === 'wasm-workers'
      ? `every chunk is a \`postMessage\` round trip timed on the page, and a worker idles while its reply crosses the page's event loop; the page's main thread, the compositor and GC also share the ${top} vCPUs with the ${top} workers`
      : `the browser's own threads (the page's main thread, the compute worker's event loop polling progress every 100 ms, the compositor, GC) share the ${top} vCPUs with the ${top} pool threads, while natively nothing else runs in the process; waking parked Web Workers (Atomics.wait/notify) at each fork also costs more than a native futex wake`;
    line(`- Scaling (wasm vs native speedup on ${top} threads: ${what}): ${why}.`);
  }
  for (const t of missed.filter((t) => t.value == null)) {
    line(`- ${t.workload} ${t.kind}: no data (a run failed; see the errors above).`);
  }
  if (missed.length) line();
}
line('The scaling target compares wasm against native *on this machine*, so a run where both sides');
line('scale badly (e.g. another tenant took a core) can still pass; read it together with the');
line('speedup columns. Medians of few runs on a shared VM: rerun `./bench` before trusting a');
line('single PASS or MISS that lies within the spread of its threshold.');

const text = out.join('\n') + '\n';
process.stdout.write(text);
if (o.out) {
  writeFileSync(o.out, text);
  console.error(`bench-table: wrote ${o.out}`);
}
