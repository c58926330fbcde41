//! Guide for `#/compare`: a class's exported results side by side.

use super::{Embed, Guide, Typical};

pub const GUIDE: Guide = Guide {
    goals: &[
        "Collect every student's measured results (the lessons' JSON or CSV downloads) and overlay \
         them, without uploading anything: the files are read in the page.",
        "See that speedup curves differ between machines (cores, hyper-threads, browser, mode) and \
         explain each difference from the machine block in the file.",
    ],
    questions: &[
        "Whose curve flattens first, and what does their machine block say about cores and mode?",
        "Two machines with the same core count scale differently: what else differs (browser, \
         threads vs workers mode, a busy machine)?",
        "Which machines would Amdahl's law with one serial share fit, and which need a second cause?",
        "Does the measured core count in a file agree with the reported one? Why might it not?",
    ],
    typical: &[Typical::Text {
        what: "What a class's files show (Amdahl lesson, pi)",
        cores: [
            "≈ 1.9× at 2 threads (measured here)",
            "≈ 3.5–3.9× at 4 threads (expected)",
            "≈ 6–7.5× at 8 threads (expected)",
        ],
        basis: "2 cores: this VM, BENCHMARKS.md. 4 and 8 cores: Amdahl's law with the serial share \
                the 2-core run implies; phones and browsers in workers mode land lower.",
    }],
    embeds: &[Embed {
        query: "theme=light",
        gives: "the compare view in your notes (light theme): students drop their files into it",
    }],
};
