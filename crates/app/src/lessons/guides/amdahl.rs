//! Guide for `#/amdahl`: Amdahl's law against measured runs, and Hill & Marty.

use super::{Embed, Guide, Typical};

pub const GUIDE: Guide = Guide {
    goals: &[
        "State Amdahl's law S = 1 / ((1 − p) + p/N) and its limit 1 / (1 − p), where 1 − p is the serial share.",
        "Estimate the parallel share p of a real program from measured speedups, and say when two \
         points determine it exactly (no check) and when more points test the law.",
        "Use Karp–Flatt's e(N): constant means a fixed serial share, growing means parallel overhead.",
        "Contrast Amdahl (fixed problem) with Gustafson (problem grows with N), and Hill & Marty's chip designs.",
    ],
    questions: &[
        "With 5 % serial code, what is the best speedup a thousand cores can give?",
        "Inject a 20 % serial share and run: where do the points fall, and what p does the fit report?",
        "Why can the fitted p come out above the p you would expect from the code?",
        "Static vs dynamic scheduling on Mandelbrot: which is faster on 2 threads, and why?",
        "Hill & Marty: when is one big core plus many small ones better than equal cores?",
    ],
    typical: &[
        Typical::Scaling {
            what: "Mandelbrot, size medium, serial = 0",
            t1_ms: 355.0,
            t2_ms: 184.0,
            source: "BENCHMARKS.md, mandelbrot medium in the browser (wasm threads), 2026-11-24",
        },
        Typical::Scaling {
            what: "Vector reduction (reduce), size medium",
            t1_ms: 353.0,
            t2_ms: 193.0,
            source: "BENCHMARKS.md, reduce medium in the browser (wasm threads), 2026-11-24",
        },
        Typical::Text {
            what: "Injected serial share 0.20 (model)",
            cores: ["≈ 1.67×", "≈ 2.5×", "≈ 3.3×"],
            basis: "Amdahl's law with p = 0.8; measured points fall a little below because the \
                    parallel part itself scales slightly below N.",
        },
    ],
    embeds: &[
        Embed { query: "section=measure&run=1", gives: "the measured view alone, running on load" },
        Embed {
            query: "section=measure&serial=0.20&lock=serial",
            gives: "a fixed 20 % serial share to discover",
        },
        Embed { query: "view=multicore&section=multicore", gives: "Hill & Marty's model alone" },
    ],
};
