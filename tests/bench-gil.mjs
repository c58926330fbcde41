// The GIL lesson's measured shape, as a benchmark (see ./bench and BENCHMARKS.md).
//
// Opens `#/gil` in Debian's chromium (cross-origin isolated, threads mode) with `run=1` for a
// CPU-bound and an I/O-bound workload, reads the lesson's own results (`data-testid="results"`
// `data-json`) and checks issue #5's targets at 2 threads: CPU-bound threads + GIL speedup
// < 1.2 while processes > 1.5, and I/O-bound threads + GIL > 1.5; and issue #16's: with a pool
// of 8 (`pool=8`, more threads than this machine's cores) I/O-bound threads + GIL ≥ 7× at 8
// threads, as CPython's sleeping threads reach (7.98×). Prints a markdown section;
// with --out FILE appends it there. Exits 0 even when a target is missed (it is a report).
//
// usage: node tests/bench-gil.mjs [--size small|medium|large] [--reps 3] [--out FILE] [--dist DIR]
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { serveDir } from './serve.mjs';
import { launch, finishedRun, DIST } from './e2e/helpers.mjs';

const o = { size: 'medium', reps: '3', out: null, dist: DIST };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in o) || argv[i + 1] === undefined) {
    console.error(`bench-gil: bad argument ${argv[i]}`);
    process.exit(2);
  }
  o[key] = argv[i + 1];
}

const CASES = [
  { workload: 'primes', modes: 'gil,free,processes', threads: [1, 2], targets: [['gil', 2, '<', 1.2], ['processes', 2, '>', 1.5]] },
  { workload: 'io', modes: 'gil', threads: [1, 2], targets: [['gil', 2, '>', 1.5]] },
  { workload: 'io', modes: 'gil', threads: [1, 2, 4, 8], pool: 8, targets: [['gil', 8, '≥', 7]] },
];

const app = await serveDir(resolve(o.dist));
const browser = await launch();
const lines = [];
try {
  for (const c of CASES) {
    const page = await browser.newPage();
    const pool = c.pool ? `&pool=${c.pool}` : '';
    await page.goto(`${app.url}/#/gil?workload=${c.workload}&size=${o.size}&modes=${c.modes}&threads=${c.threads.join(',')}&reps=${o.reps}${pool}&run=1`);
    const run = await finishedRun(page, 600_000);
    await page.close();
    if (run.state !== 'done') throw new Error(`${c.workload}: ${run.text}`);
    for (const r of run.rows) {
      lines.push(`| ${c.workload}${c.pool ? ` (pool=${c.pool})` : ''} | ${r.mode} | ${r.threads} | ${r.median_ms.toFixed(1)} | ${r.min_ms.toFixed(1)}–${r.max_ms.toFixed(1)} | ${r.speedup?.toFixed(2) ?? '–'} | ${r.handoffs} |`);
    }
    for (const [mode, at, op, bound] of c.targets) {
      const name = mode === 'free' ? 'free_threaded' : mode;
      const s = run.rows.find((r) => r.mode === name && r.threads === at)?.speedup;
      const pass = s != null && (op === '<' ? s < bound : op === '≥' ? s >= bound : s > bound);
      const where = c.pool ? ` with pool=${c.pool}` : '';
      c.result = `${c.result ?? ''}${c.workload} ${name} at ${at} threads${where}: ${s?.toFixed(2)}× (target ${op} ${bound}): **${pass ? 'pass' : 'miss'}**. `;
    }
  }
} finally {
  await browser.close();
  app.server.close();
}
const md = [
  '', '## GIL lesson: measured shape (wasm, threads mode)', '',
  `Size ${o.size}, ${o.reps} repetitions after one warm-up, chromium, ${new Date().toISOString().slice(0, 10)}.`, '',
  '| workload | mode | threads | median ms | min–max ms | speedup | GIL hand-offs |',
  '|---|---|--:|--:|--:|--:|--:|',
  ...lines, '',
  ...CASES.map((c) => `- ${c.result}`), '',
].join('\n');
console.log(md);
if (o.out) appendFileSync(o.out, md);
