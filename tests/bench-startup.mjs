// Start-up cost for BENCHMARKS.md (issue 16): how long a student waits from navigation until
// the workers are ready (`data-ready-ms` on the status bar, set by the page itself from
// `performance.now()`), cold and warm, and how many bytes the page downloads.
//   cold: a fresh browser with an empty profile (no HTTP cache, no compiled-code cache);
//   warm: the same browser opening the page again in a new tab (HTTP cache and the engine's
//         wasm code cache are filled).
// usage: node tests/bench-startup.mjs [--dist DIR] [--route '#/'] [--cold 5] [--warm 3]
//          [--firefox] [--out BENCHMARKS.md]   (--out appends a section)
import { appendFileSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { join, resolve } from 'node:path';
import { launch, DIST } from './e2e/helpers.mjs';
import { serveDir } from './serve.mjs';
import { openEngine } from './cross/engines.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const dist = resolve(opt('dist', DIST));
const route = opt('route', '#/');
const cold = Number(opt('cold', '5'));
const warm = Number(opt('warm', '3'));
const out = opt('out', null);
const firefox = args.includes('--firefox');
/** The budget from issue 16: ready within 1.5 s of navigation, cold, on localhost. */
const BUDGET_MS = 1500;

const READY = `(() => {
  const e = document.querySelector('[data-testid="env"]');
  if (!e) return null;
  const state = e.getAttribute('data-ready');
  if (state === 'failed') return { failed: true };
  const ms = e.getAttribute('data-ready-ms');
  return ms === null ? null : { ms: Number(ms), mode: e.getAttribute('data-mode'),
    pool: e.getAttribute('data-pool') };
})()`;

/** Bytes the page loads: every file of dist/ that index.html needs (the app's wasm and JS, the
 * workers' scripts), raw, gzip -9 and brotli -11. */
function bytes() {
  const files = readdirSync(dist).filter((f) => /\.(wasm|js|css|html)$/.test(f) && f !== 'embed.html' &&
    !/^sw\.js$/.test(f));
  const sum = (f) => files.filter(f).reduce((acc, name) => {
    const data = readFileSync(join(dist, name));
    acc.raw += data.length;
    acc.gzip += gzipSync(data, { level: 9 }).length;
    acc.brotli += brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    return acc;
  }, { raw: 0, gzip: 0, brotli: 0 });
  return { wasm: sum((f) => f.endsWith('.wasm')), all: sum(() => true), files: files.length };
}

async function chromiumLoads(url) {
  const times = { cold: [], warm: [], mode: null, engine: 'Chromium' };
  for (let i = 0; i < cold; i++) {
    const browser = await launch();
    times.engine = `Chromium ${browser.version()}`;
    const context = await browser.newContext();
    try {
      for (let j = 0; j <= (i === 0 ? warm : 0); j++) {
        const page = await context.newPage();
        await page.goto(url);
        const r = await page.waitForFunction(READY, null, { timeout: 60_000, polling: 50 }).then((h) => h.jsonValue());
        if (!r.failed) (j === 0 ? times.cold : times.warm).push(r.ms);
        times.mode ??= r.mode;
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }
  return times;
}

async function firefoxLoads(url) {
  const times = { cold: [], warm: [], mode: null, engine: 'Firefox' };
  for (let i = 0; i < cold; i++) {
    const b = await openEngine('firefox');
    times.engine = `Firefox ${b.version}`;
    try {
      for (let j = 0; j <= (i === 0 ? warm : 0); j++) {
        await b.goto('about:blank');
        await b.goto(url);
        const r = await b.waitFor(READY, 60_000);
        if (!r.failed) (j === 0 ? times.cold : times.warm).push(r.ms);
        times.mode ??= r.mode;
      }
    } finally {
      await b.close();
    }
  }
  return times;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};
const range = (xs) => xs.length ? `${Math.round(Math.min(...xs))}–${Math.round(Math.max(...xs))}` : '–';
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;

const app = await serveDir(dist);
const [path, hash] = route.split('#');
const url = `${app.url}/${path || ''}#${hash ?? '/'}`;
const results = [];
try {
  results.push(await chromiumLoads(url));
  if (firefox) results.push(await firefoxLoads(url));
} finally {
  app.server.close();
}
const b = bytes();
const lines = [];
const line = (s = '') => lines.push(s);
line();
line('## Start-up cost (issue 16)');
line();
line(`Measured by \`tests/bench-startup.mjs\` (part of \`./bench\`) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC,`);
line(`route \`${route}\` served from localhost. Time to ready = the page's own \`performance.now()\` when every`);
line('worker reported ready (`data-ready-ms` on the status bar): download, compile, the start-up core probe and');
line(`the pool's start. Cold: a fresh browser profile, ${cold} loads. Warm: the same browser opening the page`);
line(`again in a new tab, ${warm} loads (HTTP cache and compiled-code cache filled). Load average before: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}.`);
line();
line(`| Engine | Mode | Cold median ms | Cold range ms | Warm median ms | Warm range ms | Budget: cold ≤ ${BUDGET_MS} ms |`);
line('|---|---|--:|--:|--:|--:|---|');
for (const r of results) {
  const c = median(r.cold);
  const verdict = Number.isFinite(c) ? (c <= BUDGET_MS ? 'PASS' : 'MISS') : 'NO DATA';
  line(`| ${r.engine} | ${r.mode ?? '?'} | ${Math.round(c)} | ${range(r.cold)} | ${Math.round(median(r.warm))} | ${range(r.warm)} | ${verdict} |`);
}
line();
line(`Bytes (${b.files} files the page can load, without \`embed.html\` and the service worker): wasm ${kb(b.wasm.raw)} raw,`);
line(`${kb(b.wasm.gzip)} gzip -9, ${kb(b.wasm.brotli)} brotli; everything ${kb(b.all.raw)} raw, ${kb(b.all.gzip)} gzip -9, ${kb(b.all.brotli)} brotli.`);
const text = lines.join('\n') + '\n';
process.stdout.write(text);
if (out) appendFileSync(out, text);
const failed = results.some((r) => r.cold.length === 0);
process.exit(failed ? 1 : 0);
