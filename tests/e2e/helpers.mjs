// Shared set-up for the end-to-end tests: Debian's chromium via playwright-core, a watcher
// for console errors and foreign requests, and screenshots under tests/output/.
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { serveDir } from '../serve.mjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const DIST = process.env.PARLAB_DIST ?? new URL('../../dist', import.meta.url).pathname;
export const OUTPUT = new URL('../output', import.meta.url).pathname;

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
    // launch() always starts from a fresh, temporary profile.
  });
}

/** Records console errors, page errors and requests to origins other than `allowed`. */
export function watch(page, allowed) {
  const problems = { errors: [], foreign: [] };
  page.on('console', (m) => { if (m.type() === 'error') problems.errors.push(m.text()); });
  page.on('pageerror', (e) => problems.errors.push(String(e)));
  page.context().on('request', (r) => {
    const u = new URL(r.url());
    if (['data:', 'blob:'].includes(u.protocol)) return;
    if (!allowed.includes(u.origin)) problems.foreign.push(r.url());
  });
  return problems;
}

export async function screenshot(page, name) {
  mkdirSync(OUTPUT, { recursive: true });
  const path = join(OUTPUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Waits for a lesson's run to end and returns its state and parsed results. */
export async function finishedRun(frame, timeout = 120_000) {
  const state = frame.locator('[data-testid="run-state"]');
  await state.and(frame.locator(':is([data-state="done"],[data-state="error"],[data-state="cancelled"])'))
    .waitFor({ timeout });
  const value = await state.getAttribute('data-state');
  const text = await state.textContent();
  const json = value === 'done'
    ? JSON.parse(await frame.locator('[data-testid="results"]').getAttribute('data-json'))
    : null;
  return { state: value, text, rows: json };
}

/** Serves dist/ cross-origin isolated and launches chromium for the calling test file;
 *  `env.url` and `env.browser` are set once its tests start. */
export function useApp() {
  const env = {};
  before(async () => {
    env.app = await serveDir(DIST);
    env.url = env.app.url;
    env.browser = await launch();
  });
  after(async () => {
    await env.browser?.close();
    env.app?.server.close();
  });
  return env;
}

/** Fraction of a canvas's pixels that differ from its top-left (background) pixel. */
export async function inkFraction(page, testid) {
  return page.getByTestId(testid).evaluate((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - data[0]) + Math.abs(data[i + 1] - data[1]) + Math.abs(data[i + 2] - data[2]) > 30) ink++;
    }
    return ink / (data.length / 4);
  });
}
