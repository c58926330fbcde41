// parlab's core-count probe worker (crates/app/src/compute/probe.rs decides from its timings).
// One per reported core, started before the compute workers: each times a fixed integer loop
// (xorshift, no memory traffic) on its own clock when asked, so the page can see how many of
// them really run at once. Plain JS, no wasm: it starts in milliseconds.
function spin(n, seed) {
  let x = seed | 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x;
}

let sink = spin(300000, 7); // warm the JIT before saying hello (untimed)
self.postMessage({ type: 'hello' });

self.onmessage = ({ data }) => {
  const t0 = performance.now();
  sink ^= spin(data.n, data.round + sink);
  const ms = performance.now() - t0;
  self.postMessage({ type: 'done', round: data.round, ms, sink });
};
