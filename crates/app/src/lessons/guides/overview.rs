//! Guide for the overview (`#/`): the three levers as one trade-off.

use super::{Embed, Guide, Typical};

pub const GUIDE: Guide = Guide {
    goals: &[
        "Tell serial processing (one object at a time) from parallel processing (several at once).",
        "Name the three levers of performance after 2005 — parallel share p, cores N, supply voltage V — \
         and say which of them the programmer controls.",
        "Read the page honestly: which numbers are measured in this tab and which are models.",
    ],
    questions: &[
        "With p = 0.9, how much faster can 8 cores make the program? And 32? Why does the curve flatten?",
        "Lower the voltage: the clock drops, and so does the power of each core — which falls faster, and why?",
        "Four slow cores or one fast core at the same watts: which wins for p = 0.5, which for p = 0.95?",
    ],
    typical: &[Typical::Text {
        what: "Amdahl speedup at p = 0.9 (the page's default)",
        cores: ["1.82× (model)", "3.08× (model)", "4.71× (model)"],
        basis: "Amdahl's law 1 / ((1 − p) + p/N); the overview's speedup and power are models, \
                only the black points and the lit die come from the tab's latest real run.",
    }],
    embeds: &[
        Embed { query: "p=0.95&n=8", gives: "the dashboard preset to p = 0.95 on 8 cores" },
        Embed { query: "lock=v", gives: "voltage fixed, students move only p and N" },
    ],
};
