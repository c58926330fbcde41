// Start-up measurements (a tool, not a test: timings on a shared machine prove nothing).
//   node tests/startup-times.mjs [--engine chromium|firefox|webkit|webkit-sab] [--loads 20]
//        [--dist dist] [--route '#/serial'] [--stuck-ms 30000] [--fresh-every 10]
// Loads the route again and again, each time in a new tab (a new browser every
// `--fresh-every` loads), and reports per load the time from navigation to
// data-ready="ready", the mode, why, and the probe's measured count; a load whose status bar
// has not left "starting" after --stuck-ms counts as stuck.
import { chromium } from 'playwright-core';
import { serveDir } from './serve.mjs';
import { openEngine, ERROR_CATCHER } from './cross/engines.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
const engine = args.engine ?? 'chromium';
const loads = Number(args.loads ?? 20);
const stuckMs = Number(args['stuck-ms'] ?? 30_000);
const freshEvery = Number(args['fresh-every'] ?? 10);
const route = args.route ?? '#/serial';
const dist = args.dist ?? new URL('../dist', import.meta.url).pathname;

// Records, in the page, when the status bar first says ready (or failed).
const WATCH = `(() => {
  window.__parlabReady = null;
  const look = () => {
    const e = document.querySelector('[data-testid="env"]');
    if (e && e.getAttribute('data-ready') !== 'starting' && !window.__parlabReady) {
      window.__parlabReady = { ms: performance.now(), ready: e.getAttribute('data-ready'),
        mode: e.getAttribute('data-mode'), why: e.getAttribute('data-why'),
        cores: e.getAttribute('data-cores'), measured: e.getAttribute('data-measured'),
        probe: e.querySelector('.facts')?.title ?? '' };
    }
  };
  new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true });
  look();
})()`;
// Chromium: an init script; the others get it from the server, first in <head>.
const inject = engine === 'chromium' ? '' : (engine.startsWith('webkit') ? ERROR_CATCHER : '') + `<script>${WATCH}</script>`;
const app = await serveDir(dist, { inject });
const RESULT = `window.__parlabReady`;

async function chromiumEngine() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let page;
  return {
    async goto(url) {
      await page?.close();
      page = await browser.newPage();
      await page.addInitScript(WATCH);
      await page.goto(url);
    },
    eval: (js) => page.evaluate(js),
    close: () => browser.close(),
  };
}

async function open() {
  if (engine === 'chromium') return chromiumEngine();
  const b = await openEngine(engine);
  return {
    goto: (url) => b.goto(url),
    eval: (js) => b.eval(js),
    close: () => b.close(),
  };
}

const rows = [];
let b = null;
for (let i = 0; i < loads; i++) {
  if (!b || i % freshEvery === 0) { await b?.close(); b = await open(); }
  const t0 = Date.now();
  const [path, hash] = route.split('#');
  await b.goto(`${app.url}/${path || ''}?cold=${i}#${hash ?? '/'}`);
  let r = null;
  while (!r && Date.now() - t0 < stuckMs) {
    await new Promise((res) => setTimeout(res, 100));
    r = await b.eval(RESULT).catch(() => null);
  }
  rows.push(r ?? { stuck: true });
  console.log(JSON.stringify({ load: i, ...(r ?? { stuck: true, after_ms: Date.now() - t0 }) }));
}
await b?.close();
app.server.close();

const ok = rows.filter((r) => !r.stuck);
const ms = ok.map((r) => r.ms).sort((a, b) => a - b);
const q = (p) => ms.length ? Math.round(ms[Math.min(ms.length - 1, Math.floor(p * ms.length))]) : NaN;
const count = (f) => rows.filter(f).length;
console.log(`${engine} ${route}: ${loads} loads, stuck ${count((r) => r.stuck)}, watchdog ${count((r) => r.why === 'watchdog')}, ` +
  `failed ${count((r) => r.ready === 'failed')}; time to ready ms: median ${q(0.5)}, p10 ${q(0.1)}, p90 ${q(0.9)}, max ${q(0.999)}; ` +
  `measured: ${JSON.stringify(ok.reduce((m, r) => ({ ...m, [r.measured ?? 'none']: (m[r.measured ?? 'none'] ?? 0) + 1 }), {}))}`);
