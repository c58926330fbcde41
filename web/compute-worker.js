// A parlab compute worker. It loads the page's own wasm module (handed over by the page, so
// Trunk's hashed file names do not matter) and passes every message to Rust
// (crates/app/src/compute/worker.rs). With `pool > 0` it also starts the rayon thread pool,
// whose threads are further workers sharing this worker's memory.
let glue = null;

// Firefox mitigations for a pool that never reports ready (about 1 in 30 loads in Firefox 153
// ESR when a tab goes from one parlab page to the next; the page's watchdog falls back to
// workers then, see crates/app/src/compute/bridge/startup.rs):
// 1. Keep every Worker this worker creates (the rayon pool's threads) referenced from the
//    start: wasm-bindgen-rayon roots its pool workers only once all of them have started, and
//    until then Firefox may garbage-collect one (bug 1702191).
// 2. Fetch wasm-bindgen-rayon's worker script once, not once per pool thread at the same time
//    (it fetches its own URL to start each thread from a blob).
const realFetch = self.fetch.bind(self);
const fetched = new Map();
self.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input.url;
  if (init === undefined && url.includes('/snippets/wasm-bindgen-rayon-')) {
    if (!fetched.has(url)) fetched.set(url, realFetch(url).then((r) => r.blob()));
    return fetched.get(url).then((blob) => new Response(blob));
  }
  return realFetch(input, init);
};
const started = [];
if (self.Worker) {
  const NativeWorker = self.Worker;
  self.Worker = class extends NativeWorker {
    constructor(...args) {
      super(...args);
      started.push(this);
    }
  };
}

// Starts the rayon pool (if `pool > 0`) and says `ready`.
async function startPool({ pool, fault }) {
  if (pool > 0) {
    // Fault injection (URL `fault=`, for tests of the page's start-up watchdog and fallback):
    // a pool that never reports ready, or one that fails.
    if (fault === 'pool-hang') return;
    if (fault === 'pool-fail') throw new Error('fault=pool-fail: injected pool failure');
    await glue.initThreadPool(pool);
    // Progress and results of pool jobs are collected by polling (10 Hz: enough for a progress
    // bar, little CPU taken from the pool being measured): the pool threads cannot
    // post to the page themselves. Without a pool every request is answered directly.
    setInterval(() => {
      const out = glue.worker_poll();
      if (out) self.postMessage(out);
    }, 100);
  }
  self.postMessage(JSON.stringify({ type: 'ready', threads: pool }));
}

const failed = (e) => self.postMessage(JSON.stringify({ type: 'failed', message: String(e && e.message || e) }));

self.onmessage = async ({ data }) => {
  if (data && data.type === 'init') {
    // `hold`: load now, while the page's core-count probe runs, and wait for the pool size
    // (a `pool` message) before starting the pool.
    try {
      glue = await import(data.glueUrl);
      await glue.default({ module_or_path: data.module });
      if (data.hold) self.postMessage(JSON.stringify({ type: 'loaded' }));
      else await startPool(data);
    } catch (e) {
      failed(e);
    }
    return;
  }
  if (data && data.type === 'pool') {
    try {
      await startPool(data);
    } catch (e) {
      failed(e);
    }
    return;
  }
  if (!glue) return;
  const out = glue.worker_handle(data);
  if (out) self.postMessage(out);
};
