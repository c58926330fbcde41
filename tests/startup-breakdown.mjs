// Where the cold start-up time goes (issue 16): one fresh Chromium per load, with an init
// script that stamps (performance.now(), ms since navigation) the milestones the page passes:
// the wasm module compiled, the first probe worker, the first compute worker, ready.
// usage: node tests/startup-breakdown.mjs [--dist DIR] [--loads 5] [--query 'pool=2']
import { resolve } from 'node:path';
import { launch, DIST } from './e2e/helpers.mjs';
import { serveDir } from './serve.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const dist = resolve(opt('dist', DIST));
const loads = Number(opt('loads', '5'));
const query = opt('query', '');

const STAMPS = `(() => {
  const t = (self.__parlabStamps = {});
  const stamp = (k) => { if (!(k in t)) t[k] = performance.now(); };
  for (const name of ['compileStreaming', 'instantiateStreaming', 'compile', 'instantiate']) {
    const real = WebAssembly[name];
    if (!real) continue;
    WebAssembly[name] = function (...a) {
      stamp(name + ' called');
      return real.apply(this, a).then((r) => { stamp(name + ' done'); return r; });
    };
  }
  const RealWorker = self.Worker;
  const kind = (data) => {
    try { return typeof data === 'string' ? JSON.parse(data).type : data && (data.type ?? ('round' in data ? 'round ' + data.round : null)); } catch { return null; }
  };
  self.Worker = class extends RealWorker {
    constructor(url, ...rest) {
      const name = String(url).split('/').pop().split('?')[0].replace('.js', '');
      stamp('new ' + name);
      super(url, ...rest);
      this.__name = name;
    }
    postMessage(data, ...rest) {
      const k = kind(data);
      if (k) stamp(this.__name + ' ← ' + k);
      return super.postMessage(data, ...rest);
    }
    set onmessage(f) {
      super.onmessage = f && ((e) => { const k = kind(e.data); if (k) stamp(this.__name + ' → ' + k); return f(e); });
    }
    get onmessage() { return super.onmessage; }
  };
  document.addEventListener('DOMContentLoaded', () => stamp('DOMContentLoaded'));
  self.__parlabLong = [];
  try {
    new PerformanceObserver((l) => { for (const e of l.getEntries()) self.__parlabLong.push([Math.round(e.startTime), Math.round(e.duration)]); })
      .observe({ type: 'longtask', buffered: true });
  } catch {}
})()`;

const app = await serveDir(dist);
const url = `${app.url}/${query ? `?${query}` : ''}#/`;
const rows = [];
try {
  for (let i = 0; i < loads; i++) {
    const browser = await launch();
    const page = await (await browser.newContext()).newPage();
    await page.addInitScript(STAMPS);
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector('[data-testid="env"]')?.getAttribute('data-ready-ms'), null, { timeout: 60_000 });
    const r = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource').filter((e) => /\.(wasm|js)$/.test(e.name))
        .map((e) => [e.name.split('/').pop().slice(0, 24), Math.round(e.startTime), Math.round(e.responseEnd)]);
      return { long: self.__parlabLong, stamps: self.__parlabStamps, ready: Number(document.querySelector('[data-testid="env"]').getAttribute('data-ready-ms')),
        domInteractive: nav.domInteractive, res };
    });
    rows.push(r);
    await browser.close();
  }
} finally {
  app.server.close();
}
for (const r of rows) {
  const s = Object.entries(r.stamps).map(([k, v]) => `${k} ${Math.round(v)}`).join(' · ');
  console.log(`ready ${Math.round(r.ready)} ms · ${s}`);
  console.log(`   long tasks (start+ms): ${r.long.map((x) => x.join('+')).join(' ')}`);
  console.log(`   resources: ${r.res.map((x) => x.join(' ')).join(' | ')}`);
}
