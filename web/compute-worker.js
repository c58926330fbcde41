// A parlab compute worker. It loads the page's own wasm module (handed over by the page, so
// Trunk's hashed file names do not matter) and passes every message to Rust
// (crates/app/src/compute/worker.rs). With `pool > 0` it also starts the rayon thread pool,
// whose threads are further workers sharing this worker's memory.
let glue = null;

// Firefox mitigations for a pool that never reports ready (Firefox 153 ESR driven over
// WebDriver BiDi, 1 to 2 in 30 cold loads: a pool thread's `new Worker(...)`, called from this
// worker, did not return. With mitigation 2 it was 0 in 75 loads with logging added, but 2 in
// 40 without, and then the page's one restart of the pool stalled too, so the cause is not
// pinned down; the page's restart and watchdog (crates/app/src/compute/bridge/startup.rs)
// make sure such a load still ends ready, in `workers` mode at worst):
// 1. Keep every Worker this worker creates (the rayon pool's threads) referenced from the
//    start: wasm-bindgen-rayon roots its pool workers only once all of them have started, and
//    until then Firefox may garbage-collect one (bug 1702191).
// 2. Start pool threads from wasm-bindgen-rayon's own (same-origin) script URL, not from a
//    blob: URL. It fetches its script and makes a blob: URL of it per thread so that it works
//    from a CDN; here the script is ours, so that fetch answers at once with an empty Blob
//    standing for the URL, and `URL.createObjectURL` hands the URL back (each `new Worker`
//    loads the script itself, so nothing is fetched twice).
const realFetch = self.fetch.bind(self);
const standsFor = new WeakMap(); // empty Blob -> the rayon script's URL
self.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input.url;
  if (init === undefined && url.includes('/snippets/wasm-bindgen-rayon-')) {
    const blob = new Blob();
    standsFor.set(blob, url);
    const response = new Response();
    response.blob = async () => blob;
    return Promise.resolve(response);
  }
  return realFetch(input, init);
};
const createObjectURL = URL.createObjectURL;
const revokeObjectURL = URL.revokeObjectURL;
URL.createObjectURL = (obj) => standsFor.get(obj) ?? createObjectURL.call(URL, obj);
URL.revokeObjectURL = (url) => {
  if (String(url).startsWith('blob:')) revokeObjectURL.call(URL, url);
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
    // The module is instantiated; from here the pool normally starts within a second. The page
    // gives this step a shorter deadline of its own, and one restart (see `PoolStarting`).
    self.postMessage(JSON.stringify({ type: 'pool_starting', threads: pool }));
    if (fault === 'pool-stall') return;
    await glue.initThreadPool(pool);
    // Results and progress of pool jobs are collected by polling at 10 Hz (the pool threads
    // cannot post to the page themselves); progress goes out at most twice a second, since
    // each report re-renders the page and takes CPU from the run (compute/progress.rs).
    // Without a pool every request is answered directly.
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
