// parlab's message-passing bench (the GIL lesson's "shared memory vs message passing").
// It runs off the page's thread so that a 64 MB copy never freezes the page, and the page can
// cancel it at any time by terminating this worker (its nested echo worker dies with it).
//
// Two roles, one file:
//  - bench (default): starts a nested echo worker (this file, `?role=echo`) and, for each
//    buffer size, times a round trip to it three ways: copy (structured clone), transfer
//    (ownership moves, no bytes copied) and share (a SharedArrayBuffer handle, only where the
//    page is cross-origin isolated). Then it loads the page's wasm module (handed over by the
//    page, as compute-worker.js does) and runs the Rust serialization-formats bench.
//  - echo: touches the bytes it received (reads every 4096th byte, i.e. every page of memory)
//    and answers with a tiny ack carrying the sum, so every method is charged for the
//    receiver actually reaching the data.
//
// Messages to the page are JSON strings: progress, transport (per-message times of every
// repetition, summarised in Rust), formats, done, error.
const STRIDE = 4096;
const role = new URL(self.location.href).searchParams.get('role');

function touch(buffer) {
  const view = new Uint8Array(buffer);
  let sum = 0;
  for (let i = 0; i < view.length; i += STRIDE) sum += view[i];
  return sum;
}

if (role === 'echo') {
  self.onmessage = ({ data }) => self.postMessage({ id: data.id, sum: touch(data.buf) });
} else {
  self.onmessage = ({ data }) => {
    if (data && data.type === 'run') {
      run(data).catch((e) => {
        send({ type: 'error', message: String(e && e.message || e) });
        self.close();
      });
    }
  };
}

function send(message) {
  self.postMessage(JSON.stringify(message));
}

/** 1 KiB, 4 KiB, … up to maxBytes (included even when it is not a power of 4 KiB). */
function sizes(maxBytes) {
  const out = [];
  for (let s = 1024; s <= maxBytes; s *= 4) out.push(s);
  if (out[out.length - 1] !== maxBytes) out.push(maxBytes);
  return out;
}

/** One message to the echo worker and its ack; resolves to the sum the echo computed. */
function roundTrip(echo, id, buf, transfer) {
  return new Promise((resolve, reject) => {
    echo.onmessage = ({ data }) => (data.id === id ? resolve(data.sum) : reject(new Error('ack out of order')));
    echo.onerror = (e) => reject(new Error(`echo worker failed: ${e.message || 'unknown error'}`));
    echo.postMessage({ id, buf }, transfer);
  });
}

async function run({ maxBytes, reps, glueUrl, module }) {
  const sab = self.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
  const methods = sab ? ['copy', 'transfer', 'share'] : ['copy', 'transfer'];
  send({ type: 'methods', methods });
  const echo = new Worker(new URL('./message-bench.js?role=echo', import.meta.url), { type: 'module' });
  let id = 0;
  // Warm up the message path itself (worker start-up, JIT) before any size is timed.
  const small = new ArrayBuffer(1024);
  const smallShared = sab ? new SharedArrayBuffer(1024) : null;
  for (let k = 0; k < 20; k++) {
    for (const method of methods) {
      const buf = method === 'copy' ? small : method === 'share' ? smallShared : small.slice(0);
      await roundTrip(echo, ++id, buf, method === 'transfer' ? [buf] : []);
    }
  }
  const list = sizes(maxBytes);
  const total = list.length + 1; // + the formats bench
  const rows = [];
  for (const [index, size] of list.entries()) {
    send({ type: 'progress', done: index, total, label: `Sending ${label(size)} messages…` });
    const template = new ArrayBuffer(size);
    const bytes = new Uint8Array(template);
    for (let i = 0; i < size; i += STRIDE) bytes[i] = (i / STRIDE) % 251;
    const expected = touch(template);
    const shared = sab ? new SharedArrayBuffer(size) : null;
    if (shared) new Uint8Array(shared).set(bytes);
    // Small messages take microseconds, below the timer's resolution where the page is not
    // isolated (0.1 ms): time a batch of back-to-back round trips and divide.
    const batch = Math.max(1, Math.min(64, Math.floor(256 * 1024 / size)));
    const times = Object.fromEntries(methods.map((m) => [m, []]));
    // One warm-up round (untimed), then `reps` rounds with the methods interleaved.
    for (let rep = 0; rep <= reps; rep++) {
      for (const method of methods) {
        // Transfer detaches the sender's buffer: make the fresh copies before the clock starts.
        const fresh = method === 'transfer' ? Array.from({ length: batch }, () => template.slice(0)) : null;
        const t0 = performance.now();
        for (let k = 0; k < batch; k++) {
          const buf = method === 'copy' ? template : method === 'share' ? shared : fresh[k];
          const sum = await roundTrip(echo, ++id, buf, method === 'transfer' ? [buf] : []);
          if (sum !== expected) throw new Error(`${method} of ${label(size)}: the receiver saw different bytes`);
        }
        const ms = (performance.now() - t0) / batch;
        if (rep > 0) times[method].push(ms);
      }
    }
    for (const method of methods) rows.push({ method, bytes: size, batch, times_ms: times[method] });
    send({ type: 'transport', rows });
  }
  echo.terminate();
  send({ type: 'progress', done: list.length, total, label: 'Encoding and decoding objects in Rust…' });
  try {
    const glue = await import(glueUrl);
    await glue.default({ module_or_path: module });
    const out = glue.formats_bench(reps, (done, all) => send({
      type: 'progress', done: list.length + done / all, total, label: 'Encoding and decoding objects in Rust…',
    }));
    self.postMessage(out);
  } catch (e) {
    send({ type: 'formats_failed', message: String(e && e.message || e) });
  }
  send({ type: 'done' });
  self.close();
}

function label(size) {
  return size >= 1 << 20 ? `${size / (1 << 20)} MiB` : `${size / 1024} KiB`;
}
