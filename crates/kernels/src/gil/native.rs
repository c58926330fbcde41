//! What the interpreter calls out to *without* the GIL: a blocking I/O wait and a C library.
//!
//! Why these are real: the lesson's claim is that threads help Python with I/O and with C
//! extensions (hashlib, NumPy) because those release the GIL. So an I/O wait must really
//! block the thread (not spin on a core the interpreter thread could use) and a native call
//! must really compute, in parallel with other threads, while the lock is free.
//!
//! Blocking: natively `std::thread::sleep`. On wasm32 with atomics `std::thread::sleep` *is*
//! `memory.atomic.wait32` with a timeout (std/src/sys/thread/wasm.rs), i.e. `Atomics.wait`:
//! the raw intrinsic is unstable (`stdarch_wasm_atomic_wait`), so we reach it through std. It
//! traps on the browser's main thread, which never runs interpreter threads (they run on the
//! rayon pool's workers). Without atomics (no threads at all) it falls back to a timed spin.
//! Either way the shared [`Clock`] decides when the wait is over, so an early wake-up just
//! waits again.

use crate::schedule::Clock;

/// Blocks the calling thread for `ms` milliseconds of `clock` time.
pub fn block_for(ms: f64, clock: &dyn Clock) {
    let start = clock.now_ms();
    loop {
        let left = start + ms - clock.now_ms();
        if left <= 0.0 {
            return;
        }
        park(left);
    }
}

#[cfg(any(not(target_arch = "wasm32"), target_feature = "atomics"))]
fn park(ms: f64) {
    std::thread::sleep(std::time::Duration::from_secs_f64(ms / 1e3));
}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
fn park(_ms: f64) {
    std::hint::spin_loop();
}

/// The "C library": an FNV-1a hash of `bytes` pseudo-random bytes (an xorshift stream, so no
/// buffer has to be allocated). Deterministic; returns a non-negative 31-bit value so
/// interpreted code can add results without overflow.
pub fn native_hash(bytes: u32) -> i64 {
    let mut x = 0x9E37_79B9_7F4A_7C15_u64 ^ u64::from(bytes);
    let mut h = 0xCBF2_9CE4_8422_2325_u64;
    for i in 0..bytes {
        if i % 8 == 0 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
        }
        h = (h ^ ((x >> ((i % 8) * 8)) & 0xFF)).wrapping_mul(0x0100_0000_01B3);
    }
    (std::hint::black_box(h) >> 33) as i64
}
