//! Guide for `#/gil`: a real interpreter lock on real threads.

use super::{Embed, Guide, Typical};

pub const GUIDE: Guide = Guide {
    goals: &[
        "Explain what the GIL serialises (bytecode) and what it does not (waiting for I/O, C code that \
         releases it).",
        "Predict from the kind of work (CPU-bound pure Python, I/O-bound, C library) whether threads help.",
        "Choose between threads, processes and free-threaded Python, and name what processes cost \
         (start-up, pickling the data they exchange).",
    ],
    questions: &[
        "CPU-bound pure Python on 2 threads with the GIL: faster, the same, or slower than 1 thread? Why?",
        "Why do I/O-bound threads speed up even with the GIL?",
        "Processes have no shared GIL — so why not always use processes?",
        "Message passing: at what buffer size does copying start to cost more than the work?",
    ],
    typical: &[
        Typical::Text {
            what: "CPU-bound (primes), GIL, 1 → N threads",
            cores: ["0.93× (measured: 252 → 270 ms)", "≈ 0.9–1× (expected)", "≈ 0.9–1× (expected)"],
            basis: "2 cores: BENCHMARKS.md, GIL lesson, 2026-11-24. More cores cannot help: one thread \
                    runs bytecode at a time, and each hand-off costs a little.",
        },
        Typical::Scaling {
            what: "CPU-bound (primes), free-threaded",
            t1_ms: 253.8,
            t2_ms: 135.4,
            source: "BENCHMARKS.md, GIL lesson, free_threaded, 2026-11-24",
        },
        Typical::Scaling {
            what: "CPU-bound (primes), processes",
            t1_ms: 251.8,
            t2_ms: 132.7,
            source: "BENCHMARKS.md, GIL lesson, processes, 2026-11-24",
        },
        Typical::Scaling {
            what: "I/O-bound (io), GIL",
            t1_ms: 204.3,
            t2_ms: 105.7,
            source: "BENCHMARKS.md, GIL lesson, io with the GIL, 2026-11-24",
        },
    ],
    embeds: &[
        Embed {
            query: "section=measured&workload=primes&lock=workload&run=1",
            gives: "CPU-bound threads vs processes, running on load",
        },
        Embed { query: "section=measured&workload=io&lock=workload", gives: "the I/O-bound case" },
        Embed {
            query: "section=messages&msg_run=1",
            gives: "shared memory vs message passing, measured on load",
        },
    ],
};
