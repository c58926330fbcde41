// Two more engines for the smoke tests (tests/cross/), behind one small interface:
//   const b = await openEngine('firefox' | 'webkit' | 'webkit-sab');
//   await b.goto(url); await b.waitFor(js, timeout); await b.eval(js); await b.errors(); await b.close();
// - Firefox ESR: puppeteer-core over WebDriver BiDi (no geckodriver); console errors and page
//   errors come from the browser, workers' included.
// - WebKitGTK: WebKitWebDriver (plain W3C WebDriver over HTTP, a few fetch calls below) driving
//   MiniBrowser under Xvfb. It has no BiDi, so the test server injects ERROR_CATCHER at the
//   start of every page (window errors, unhandled rejections, console.error, errors of the
//   page's own workers) and `errors()` reads what it caught. 'webkit-sab' starts it with
//   JSC_useSharedArrayBuffer=1: WebKitGTK then has SharedArrayBuffer on isolated pages, as
//   Safari does, and parlab takes the `threads` path.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
export const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER ?? '/usr/bin/WebKitWebDriver';

/** Injected first into every HTML page served to WebKit (see serveDir's `inject`). */
export const ERROR_CATCHER = `<script>(() => {
  const caught = (window.__parlabErrors = []);
  const text = (x) => (x && x.stack) || (x && x.message) || String(x);
  addEventListener('error', (e) => caught.push('error: ' + (e.message || text(e.error))));
  addEventListener('unhandledrejection', (e) => caught.push('unhandled rejection: ' + text(e.reason)));
  const log = console.error.bind(console);
  console.error = (...a) => { caught.push('console.error: ' + a.map(text).join(' ')); log(...a); };
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(...args) {
      super(...args);
      this.addEventListener('error', (e) => caught.push('worker error: ' + (e.message || 'unknown') + ' (' + args[0] + ')'));
    }
  };
})();</script>`;

export function minibrowser() {
  for (const dir of ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib']) {
    const p = join(dir, 'webkit2gtk-4.1', 'MiniBrowser');
    if (existsSync(p)) return p;
  }
  return null;
}

export function available(engine) {
  if (engine === 'firefox') return existsSync(FIREFOX);
  return existsSync(WEBKIT_DRIVER) && minibrowser() !== null && existsSync('/usr/bin/Xvfb');
}

export async function openEngine(engine) {
  if (engine === 'firefox') return openFirefox();
  if (engine === 'webkit') return openWebKit({ sab: false });
  if (engine === 'webkit-sab') return openWebKit({ sab: true });
  throw new Error(`unknown engine ${engine}`);
}

async function openFirefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    // A fresh temporary profile; no updates, telemetry or other background requests.
    extraPrefsFirefox: {
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 1000 });
  let errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console.error: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message ?? e}`));
  return {
    name: 'firefox',
    version: await browser.version(),
    async goto(url) {
      errors = [];
      await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    },
    eval: (js) => page.evaluate(js),
    waitFor: (js, timeout = 60_000) => page.waitForFunction(js, { timeout, polling: 100 }).then((h) => h.jsonValue()),
    errors: async () => errors,
    close: () => browser.close(),
  };
}

async function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** Starts Xvfb on a free display; resolves to { display, stop }. */
async function startXvfb() {
  for (let n = 97; n < 140; n++) {
    if (existsSync(`/tmp/.X${n}-lock`) || existsSync(`/tmp/.X11-unix/X${n}`)) continue;
    const proc = spawn('Xvfb', [`:${n}`, '-screen', '0', '1280x4000x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    const ok = await new Promise((resolve) => {
      const t = setInterval(() => { if (existsSync(`/tmp/.X11-unix/X${n}`)) { clearInterval(t); resolve(true); } }, 50);
      proc.once('exit', () => { clearInterval(t); resolve(false); });
      setTimeout(() => { clearInterval(t); resolve(existsSync(`/tmp/.X11-unix/X${n}`)); }, 10_000);
    });
    if (ok) return { display: `:${n}`, stop: () => proc.kill() };
    proc.kill();
  }
  throw new Error('no free X display for Xvfb');
}

async function openWebKit({ sab }) {
  const xvfb = process.env.DISPLAY && process.env.PARLAB_USE_DISPLAY ? null : await startXvfb();
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'parlab-webkit-'));
  const env = {
    ...process.env,
    DISPLAY: xvfb?.display ?? process.env.DISPLAY,
    HOME: home, XDG_CACHE_HOME: join(home, 'cache'), XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'), XDG_RUNTIME_DIR: home,
    // Software rendering, no accessibility bus, no GPU process surprises under Xvfb.
    WEBKIT_DISABLE_COMPOSITING_MODE: '1', LIBGL_ALWAYS_SOFTWARE: '1', NO_AT_BRIDGE: '1',
  };
  if (sab) env.JSC_useSharedArrayBuffer = '1';
  else delete env.JSC_useSharedArrayBuffer;
  const driver = spawn(WEBKIT_DRIVER, [`--port=${port}`], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let driverLog = '';
  driver.stderr.on('data', (d) => { driverLog = (driverLog + d).slice(-4000); });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const r = await fetch(base + path, {
      method, headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await r.json();
    if (!r.ok || (json.value && json.value.error)) {
      throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value ?? json).slice(0, 500)}`);
    }
    return json.value;
  };
  const stop = () => { driver.kill(); xvfb?.stop(); rmSync(home, { recursive: true, force: true }); };
  let session;
  try {
    for (let i = 0; ; i++) { // wait for the driver to listen
      try { await fetch(`${base}/status`); break; } catch (e) {
        if (i > 100) throw new Error(`WebKitWebDriver did not start: ${driverLog}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    session = await call('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          pageLoadStrategy: 'none',
          'webkitgtk:browserOptions': { binary: minibrowser(), args: ['--automation'] },
        },
      },
    });
  } catch (e) {
    stop();
    throw e;
  }
  const sid = session.sessionId;
  await call('POST', `/session/${sid}/window/rect`, { width: 1280, height: 1000 }).catch(() => {});
  const evaluate = (js) => call('POST', `/session/${sid}/execute/sync`, {
    script: `return (${typeof js === 'function' ? js.toString() : `() => (${js})`})();`, args: [],
  });
  return {
    name: sab ? 'webkit-sab' : 'webkit',
    version: session.capabilities?.browserVersion ?? '?',
    async goto(url) {
      await call('POST', `/session/${sid}/url`, { url });
      // pageLoadStrategy none: wait until the new document has the error catcher.
      const t0 = Date.now();
      while (Date.now() - t0 < 60_000) {
        const ready = await evaluate(`location.href === ${JSON.stringify(url)} && Array.isArray(window.__parlabErrors) && document.readyState === 'complete'`).catch(() => false);
        if (ready) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`WebKit did not load ${url}`);
    },
    eval: evaluate,
    async waitFor(js, timeout = 60_000) {
      const t0 = Date.now();
      let last;
      while (Date.now() - t0 < timeout) {
        last = await evaluate(js).catch((e) => { last = e; return false; });
        if (last) return last;
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error(`timed out after ${timeout} ms waiting for ${js}`);
    },
    async errors() { return (await evaluate('window.__parlabErrors || []')) ?? []; },
    async close() {
      await call('DELETE', `/session/${sid}`).catch(() => {});
      stop();
    },
  };
}
