//! Guide for `#/simd`: data parallelism inside one instruction, and with threads.

use super::{Embed, Guide, Typical};

pub const GUIDE: Guide = Guide {
    goals: &[
        "Tell SIMD (one instruction, several data) from threads (several instruction streams), with \
         Flynn's taxonomy.",
        "Measure what 4-lane SIMD gains on one thread, and why memory-bound kernels (saxpy) gain less.",
        "Check whether SIMD and threads multiply, and explain when they do not (shared memory bandwidth).",
    ],
    questions: &[
        "A 128-bit instruction adds four floats. Will the sum be 4× faster? Why might it be more, or less?",
        "Why does saxpy gain less from SIMD than dot?",
        "SIMD on 2 threads: product of the two speedups, or less?",
        "Where do instruction-level, data-level and thread-level parallelism each live in a chip?",
    ],
    typical: &[
        Typical::Text {
            what: "SIMD× on one thread (sum, simd128)",
            cores: ["4.12× (measured)", "≈ 4× (expected)", "≈ 4× (expected)"],
            basis: "2 cores: BENCHMARKS.md, SIMD lesson, 2026-12-01. SIMD works inside one core, so the \
                    core count does not change it.",
        },
        Typical::Text {
            what: "SIMD× on one thread (saxpy, memory-bound)",
            cores: ["1.87× (measured)", "≈ 2× (expected)", "≈ 2× (expected)"],
            basis: "2 cores: BENCHMARKS.md, SIMD lesson, 2026-12-01; memory, not arithmetic, limits it.",
        },
        Typical::Text {
            what: "SIMD and threads together (mandelbrot)",
            cores: [
                "4.20× vs scalar 1 thread (measured)",
                "up to ≈ 16× (expected)",
                "up to ≈ 32× (expected)",
            ],
            basis: "2 cores: BENCHMARKS.md (a noisy run: other processes used 0.8 cores). 4 and 8 cores: \
                    the upper bound SIMD× (≈ 4) × cores for a compute-bound kernel.",
        },
    ],
    embeds: &[
        Embed {
            query: "section=measure&kernel=dot&run=1",
            gives: "scalar vs SIMD dot product, running on load",
        },
        Embed { query: "section=flynn", gives: "Flynn's taxonomy alone" },
    ],
};
