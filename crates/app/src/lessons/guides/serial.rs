//! Guide for `#/serial`: the first measured speedup.

use super::{Embed, Guide, Typical};

pub const GUIDE: Guide = Guide {
    goals: &[
        "Measure one workload on 1 thread and on all threads, and compute speedup = T₁ / T_N from the table.",
        "Explain why the answer (the prime count) must be the same on every thread count, and why the \
         program checks it.",
        "Explain why the median of several repetitions after a warm-up is reported, not one run.",
    ],
    questions: &[
        "Before running: on this device, how much faster will 2 threads be? All of them?",
        "Why is the speedup a bit below the thread count even for work that splits perfectly?",
        "Run it twice: how much do the medians move? What does that say about a 5 % difference?",
        "The browser says N logical cores. Are they N physical cores? (See the CPU lab's die view.)",
    ],
    typical: &[Typical::Scaling {
        what: "Prime count, size medium (1 → N threads)",
        t1_ms: 361.0,
        t2_ms: 187.0,
        source: "BENCHMARKS.md, primes medium in the browser (wasm threads), 2026-11-24",
    }],
    embeds: &[
        Embed {
            query: "size=small&run=1",
            gives: "measures at once on page load (small, a few seconds)",
        },
        Embed { query: "lock=size&hide=reps", gives: "students choose thread counts only" },
    ],
};
