//! The kernels on the real wasm rayon pool (wasm-bindgen-rayon), inside a dedicated worker, in
//! headless Chromium: `./test` runs this with wasm-bindgen-test-runner.
#![cfg(target_arch = "wasm32")]

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};

use parlab_kernels::gil::timeline::{Activity, max_overlap};
use parlab_kernels::gil::{GilConfig, Mode, Preset};

use parlab_kernels::primes::Primes;
use parlab_kernels::schedule::{RunConfig, RunControl, Schedule, run_chunks_serially, run_on_pool};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

pub use wasm_bindgen_rayon::init_thread_pool;

fn now() -> f64 {
    let perf: web_sys_perf::Performance =
        js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap().unchecked_into();
    perf.time_origin() + perf.now()
}

mod web_sys_perf {
    use wasm_bindgen::prelude::*;
    #[wasm_bindgen]
    extern "C" {
        pub type Performance;
        #[wasm_bindgen(method)]
        pub fn now(this: &Performance) -> f64;
        #[wasm_bindgen(method, getter, js_name = timeOrigin)]
        pub fn time_origin(this: &Performance) -> f64;
    }
}

fn cfg(threads: usize) -> RunConfig {
    RunConfig { threads, schedule: Schedule::Dynamic, serial_iters: 0 }
}

/// Starts the 2-thread pool once (the tests share one module instance).
async fn start_pool() {
    static STARTED: AtomicBool = AtomicBool::new(false);
    if !STARTED.swap(true, Ordering::SeqCst) {
        assert!(
            js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
                .unwrap()
                .is_truthy(),
            "the test runner should serve with COOP/COEP"
        );
        JsFuture::from(init_thread_pool(2)).await.expect("thread pool starts");
    }
}

#[wasm_bindgen_test]
async fn pool_runs_chunks_on_distinct_threads() {
    start_pool().await;
    // Big enough chunks that one thread cannot finish them all before the other wakes up.
    let kernel = Primes::new(2_000_000, 32);
    let (expected, _) = run_chunks_serially(&kernel, 0..32, 0, &now, 0.0);
    assert_eq!(expected, 148_933); // π(2·10^6), OEIS A006880

    let out = run_on_pool(&kernel, cfg(2), &now, &RunControl::default()).expect("not cancelled");
    assert_eq!(out.value, expected);
    let threads: HashSet<usize> = out.chunks.iter().map(|c| c.thread).collect();
    assert!(threads.len() >= 2, "only threads {threads:?} did work");

    let one = run_on_pool(&kernel, cfg(1), &now, &RunControl::default()).expect("not cancelled");
    let threads: HashSet<usize> = one.chunks.iter().map(|c| c.thread).collect();
    assert_eq!(threads.len(), 1, "one task must stay on one thread");
}

/// The GIL on real wasm threads: one interpreter at a time in bytecode, the right answer, and
/// blocking I/O (`Atomics.wait` on a pool worker) that lets two threads wait at once.
#[wasm_bindgen_test]
async fn the_gil_on_the_wasm_pool() {
    start_pool().await;
    let control = RunControl::default();
    let config = GilConfig { mode: Mode::Gil, switch_interval_ms: 1.0 };
    let tasks = Preset::Primes { limit: 20_000 }.tasks(2);
    let r = parlab_kernels::gil::run(&tasks, config, &now, &control).expect("runs");
    assert_eq!(r.total(), 2_262); // π(20000)
    assert_eq!(r.max_in_bytecode, 1);

    let tasks = Preset::Io { calls: 6, ms: 5 }.tasks(2);
    let r = parlab_kernels::gil::run(&tasks, config, &now, &control).expect("runs");
    let timelines = r.threads.iter().map(|t| &t.segments[..]);
    assert_eq!(max_overlap(timelines, Activity::Io), 2, "both threads waited at once");

    let processes = GilConfig { mode: Mode::Processes, ..config };
    let tasks = Preset::Primes { limit: 20_000 }.tasks(2);
    let r = parlab_kernels::gil::run(&tasks, processes, &now, &control).expect("runs");
    assert_eq!(r.total(), 2_262);
    assert!(r.messages.bytes_in > 0 && r.messages.bytes_out > 0);
}

/// The machine experiments on the real wasm pool, at toy sizes: nothing may touch
/// `std::time::Instant` (it panics here), every measurement runs and counts its step, and the
/// card is filled.
#[wasm_bindgen_test]
async fn the_machine_experiments_on_the_wasm_pool() {
    use parlab_kernels::machine::{MachineConfig, run_all};
    start_pool().await;
    let mut config = MachineConfig::new(2);
    config.cores.max_threads = 2;
    config.cores.probe_ms = 2.0;
    config.cores.reps = 1;
    config.sweep.max_bytes = 64 << 10;
    config.sweep.target_ms = 0.5;
    config.sweep.reps = 1;
    config.bandwidth.array_bytes = 256 << 10;
    config.bandwidth.reps = 1;
    config.sharing.run_ms = 1.0;
    config.sharing.reps = 1;
    config.peak.probe_ms = 2.0;
    config.peak.reps = 1;
    let control = RunControl::default();
    let report = run_all(&config, 2, &now, &control).expect("not cancelled");
    assert_eq!(control.chunks_done.load(Ordering::Relaxed), config.steps());
    assert_eq!(report.cores.points.len(), 2);
    assert_eq!(report.bandwidth.points.len(), 2);
    assert!(report.card.peak_gflops > 0.0 && report.card.bandwidth_all_threads_gbs > 0.0);
    assert!(!report.card.cache_levels.is_empty());
}
