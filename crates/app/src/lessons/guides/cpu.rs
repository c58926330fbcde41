//! Guide for `#/cpu`: why clocks stopped rising (models) and the die view (a real run).

use parlab_model::cpu::power::Chip;

use super::{Embed, Guide, Typical};

/// Same 24.5 W budget (the Banias TDP), p = 0.9: `n` slower cores against one fast core.
fn same_watts(n: usize) -> String {
    let chip = Chip::banias();
    match chip.same_budget(24.5, 0.9, &[1, n as u32]).and_then(|c| c.get(1).copied()) {
        Some(c) => format!("{:.2}× at {:.0} MHz each (model)", c.speedup, c.point.mhz),
        None => "does not fit in 24.5 W (model)".into(),
    }
}

pub const GUIDE: Guide = Guide {
    goals: &[
        "Use P = C·V²·f to explain why raising the clock stopped around 2005 (the power wall).",
        "Explain why, at the same watts, several slower cores beat one fast core only for parallel code.",
        "Describe superscalar issue (instruction-level parallelism) and why dependent instructions and \
         cache misses leave issue slots empty.",
        "Tell logical from physical cores: hyper-threading (SMT) fills one core's idle slots, it does not \
         double it.",
    ],
    questions: &[
        "Raise the voltage by 10 %: how much more power, if the clock follows the voltage?",
        "Same 24.5 W: one core at full clock or two slower ones — which is faster for p = 0.5? For p = 0.95?",
        "In the 50-year data, which curve kept rising after 2005 and which stopped?",
        "Superscalar view: why does a 4-wide core run the 'chain' program no faster than a 1-wide one?",
        "Hyper-threading: when does the second thread help most — with cache misses or without?",
    ],
    typical: &[
        Typical::Model {
            what: "Same 24.5 W budget, p = 0.9: speedup over one core",
            cell: same_watts,
            basis: "the lab's power model calibrated to the Pentium M Banias (CPU lab, power view); \
                    nothing measured.",
        },
        Typical::Text {
            what: "Hyper-threading: throughput of 2 threads on one core",
            cores: ["1.15–1.30× of one thread (published)", "same per core", "same per core"],
            basis: "typical published gains of Intel Hyper-Threading (Marr et al., Intel Technology \
                    Journal 6(1), 2002: up to 30 %); the SMT view is a model; the die view shows \
                    your own run.",
        },
    ],
    embeds: &[
        Embed { query: "view=power&section=power", gives: "the power and clock model alone" },
        Embed {
            query: "view=superscalar&section=superscalar&program=chain&lock=program",
            gives: "a dependent chain to discuss",
        },
        Embed { query: "view=die&section=die", gives: "the die lit by the reader's latest run" },
    ],
};
