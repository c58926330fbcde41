//! Guide for `#/races`: lost updates, the interleaving explorer and a contained deadlock.

use super::{Embed, Guide, Typical};

pub const GUIDE: Guide = Guide {
    goals: &[
        "Explain a lost update: two threads read, change and write the same variable, and one write wins.",
        "Fix a race three ways (a lock, an atomic, a per-thread sum combined at the end) and compare their cost.",
        "Show with the explorer that a race depends on the interleaving, and count the failing ones.",
        "Explain a deadlock (two locks taken in opposite orders) and the fix (one global lock order).",
    ],
    questions: &[
        "Two threads add 1 a million times each to one counter. What will it show? Will it be the same twice?",
        "Why is the racy counter sometimes exactly right?",
        "The lock makes the answer right — why does it make the program slower than one thread?",
        "In the explorer, how many of the 6 interleavings of the two-step counter go wrong?",
        "How would you make the deadlock impossible rather than unlikely?",
    ],
    typical: &[
        Typical::Text {
            what: "Racy counter, 2 threads × 1,000,000",
            cores: [
                "usually below 2,000,000, different every run",
                "more lost updates (expected)",
                "more lost updates (expected)",
            ],
            basis: "2 cores: the lesson's runs on the 2-core test machine (tests/e2e/races.test.mjs \
                    retries because a busy machine sometimes loses none); 4 and 8 cores: expected — \
                    more threads at once collide more often. No counts are recorded in BENCHMARKS.md.",
        },
        Typical::Text {
            what: "Mutex, atomic and per-thread sum",
            cores: ["always exact", "always exact", "always exact"],
            basis: "guaranteed by construction and checked on every run; their times are measured \
                    on the reader's device (the lock is typically the slowest).",
        },
        Typical::Text {
            what: "Deadlock, opposite lock order",
            cores: ["some trials deadlock (contained)", "same", "same"],
            basis: "how many depends on timing; with the consistent order none can.",
        },
    ],
    embeds: &[
        Embed { query: "section=race&k=2&lock=k", gives: "the racy counter with 2 threads" },
        Embed { query: "section=explorer&preset=counter", gives: "the interleaving explorer" },
        Embed { query: "section=deadlock&order=opposite", gives: "the deadlock experiment" },
    ],
};
