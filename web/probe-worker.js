// parlab's core-count probe worker (crates/app/src/compute/probe.rs decides from its timings).
// One per reported core, started before the compute workers: each runs a fixed integer loop
// (xorshift, no memory traffic) when asked and says when it started and ended on the clock all
// workers share (timeOrigin + now), so the page can see how many of them really ran at once.
// Plain JS, no wasm: it starts in milliseconds.
function spin(n, seed) {
  let x = seed | 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
  }
  return x;
}

// Warm the JIT before saying hello (untimed): many calls, so the function itself is compiled,
// not only its loop.
let sink = 0;
for (let i = 0; i < 20; i++) sink ^= spin(50000, i + 1);
self.postMessage({ type: 'hello' });

const now = () => performance.timeOrigin + performance.now();
self.onmessage = ({ data }) => {
  const start = now();
  sink ^= spin(data.n, data.round + sink);
  const end = now();
  self.postMessage({ type: 'done', round: data.round, start, end, sink });
};
