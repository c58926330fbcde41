//! Guide for `#/machine`: what the device really has, measured.

use super::{Embed, Guide, Typical};

pub const GUIDE: Guide = Guide {
    goals: &[
        "Tell the reported core count from the number of cores that really work at once.",
        "Read a memory-latency curve: each step is a cache level running out.",
        "Explain why memory bandwidth, not cores, limits many programs, and what false sharing costs.",
        "Place a kernel on the roofline: compute-bound or memory-bound.",
    ],
    questions: &[
        "The browser reports N cores. How many work at once here? Why can those differ?",
        "Where are the steps in the latency curve, and which cache does each belong to?",
        "Does a second thread double the memory bandwidth? A fourth?",
        "Two threads write different variables and still slow down. Why?",
    ],
    typical: &[
        Typical::Text {
            what: "Cores that work at once",
            cores: [
                "2 reported; the measured count drops when other programs are busy",
                "4 (expected)",
                "8 (expected)",
            ],
            basis: "2 cores: this project's shared 2-core VM (no count is recorded in BENCHMARKS.md); \
                    hyper-threads count as logical cores but add little throughput.",
        },
        Typical::Text {
            what: "Cache sizes (per core L1d / L2, shared L3)",
            cores: ["32–48 KiB / 256 KiB–2 MiB / 4–64 MiB", "same per core", "same per core"],
            basis: "typical published values of current x86-64 and ARM cores (vendor datasheets); \
                    the lab measures your own device's steps.",
        },
        Typical::Text {
            what: "Memory bandwidth against threads",
            cores: ["grows from 1 to 2 threads", "flattens (expected)", "flat (expected)"],
            basis: "a few cores already saturate the memory channels of a desktop or laptop chip; \
                    no bandwidth figures are recorded in BENCHMARKS.md.",
        },
    ],
    embeds: &[
        Embed { query: "section=memory&extent=quick", gives: "the cache staircase, quick sweep" },
        Embed { query: "section=sharing", gives: "false sharing alone" },
        Embed { query: "run=1&extent=quick", gives: "every experiment, started on load" },
    ],
};
