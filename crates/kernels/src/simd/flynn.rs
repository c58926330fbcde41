//! Flynn's taxonomy and the three kinds of parallelism, as data the view renders: each row
//! says what the class means, gives a real machine, and links to the parlab experiment that
//! shows it (or says why there is none).
//!
//! Flynn (1966) classifies machines by how many *instruction streams* act on how many *data
//! streams*. It says nothing about pipelining inside one core, which is why instruction-level
//! parallelism sits in a second table ([`LEVELS`]) next to data- and thread-level parallelism.

use serde::Serialize;

/// The route of this SIMD experiment (the view decides where it lives; change it here).
pub const SIMD_ROUTE: &str = "#/simd";

/// A parlab experiment a row links to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Experiment {
    /// Hash route, with query where it selects a view.
    pub route: &'static str,
    /// What to look at there.
    pub what: &'static str,
}

/// One of Flynn's four classes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct FlynnClass {
    /// SISD, SIMD, MISD or MIMD.
    pub name: &'static str,
    /// The name spelled out.
    pub long_name: &'static str,
    /// What it means, in one line.
    pub meaning: &'static str,
    /// A real machine or instruction set of the class.
    pub example: &'static str,
    /// The parlab experiments that show it (empty for MISD).
    pub experiments: &'static [Experiment],
    /// Why parlab has no experiment for it (MISD only).
    pub no_experiment: Option<&'static str>,
}

/// Flynn's taxonomy: SISD, SIMD, MISD, MIMD.
pub const FLYNN: [FlynnClass; 4] = [
    FlynnClass {
        name: "SISD",
        long_name: "Single instruction stream, single data stream",
        meaning: "One instruction at a time works on one datum: the classic von Neumann computer.",
        example: "An early microprocessor such as the Intel 8086, or one core running scalar code \
                  (a modern core still overlaps instructions of that one stream: see ILP).",
        experiments: &[Experiment {
            route: SIMD_ROUTE,
            what: "the scalar variant on 1 thread: one f32 per instruction, one instruction stream",
        }],
        no_experiment: None,
    },
    FlynnClass {
        name: "SIMD",
        long_name: "Single instruction stream, multiple data streams",
        meaning: "One instruction applies the same operation to several data lanes at once.",
        example: "SSE2 and AVX2 on x86-64 (4 and 8 f32 per instruction), Arm NEON, WebAssembly \
                  simd128; vector supercomputers such as the Cray-1; GPUs run SIMD-style warps.",
        experiments: &[Experiment {
            route: SIMD_ROUTE,
            what: "the simd128 / SSE2 / AVX2 variants on 1 thread against the scalar one",
        }],
        no_experiment: None,
    },
    FlynnClass {
        name: "MISD",
        long_name: "Multiple instruction streams, single data stream",
        meaning: "Several processors apply their own instructions to the same data; rare in \
                  practice, used for fault tolerance rather than speed.",
        example: "Redundant flight computers that process the same inputs and vote, e.g. the \
                  Space Shuttle's: four computers running the primary software in step plus a \
                  fifth with independently written backup software.",
        experiments: &[],
        no_experiment: Some(
            "MISD buys reliability, not speed: the redundant computers do the same job, so \
             there is no speedup to measure, and a browser tab has no independent hardware \
             whose failures voting could mask.",
        ),
    },
    FlynnClass {
        name: "MIMD",
        long_name: "Multiple instruction streams, multiple data streams",
        meaning: "Independent processors each run their own instructions on their own data.",
        example: "Every multi-core CPU (each core, or hardware thread, has its own instruction \
                  stream); clusters of computers.",
        experiments: &[
            Experiment { route: "#/serial", what: "primes counted on 1 and N threads" },
            Experiment {
                route: "#/amdahl",
                what: "five kernels on 1..N threads, against Amdahl's law",
            },
            Experiment {
                route: "#/gil",
                what: "threads vs share-nothing processes (separate Web Workers)",
            },
            Experiment { route: SIMD_ROUTE, what: "the scalar variant on 1..N threads" },
        ],
        no_experiment: None,
    },
];

/// One kind of parallelism.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Level {
    /// ILP, DLP or TLP.
    pub name: &'static str,
    /// The name spelled out.
    pub long_name: &'static str,
    /// What runs in parallel.
    pub meaning: &'static str,
    /// Who finds the parallelism.
    pub found_by: &'static str,
    /// The hardware that exploits it.
    pub hardware: &'static str,
    /// Flynn's class it belongs to.
    pub flynn: &'static str,
    /// The parlab experiment that shows it.
    pub experiment: Experiment,
}

/// Instruction-, data- and thread-level parallelism, side by side. They multiply: each of
/// several cores can issue several SIMD instructions per cycle.
pub const LEVELS: [Level; 3] = [
    Level {
        name: "ILP",
        long_name: "Instruction-level parallelism",
        meaning: "Independent instructions of one stream overlap: several issue per cycle, out \
                  of order, while earlier ones are still in the pipeline.",
        found_by: "The hardware (superscalar, out-of-order issue), helped by the compiler's \
                   instruction scheduling; invisible to the program.",
        hardware: "Several execution units per core, wide issue, a reorder window.",
        flynn: "SISD (still one instruction stream)",
        experiment: Experiment {
            route: "#/cpu?view=superscalar",
            what: "the cycle-by-cycle superscalar core: IPC against issue width (a model)",
        },
    },
    Level {
        name: "DLP",
        long_name: "Data-level parallelism",
        meaning: "One instruction processes several data elements (lanes).",
        found_by: "The programmer (intrinsics, as here) or the compiler's auto-vectoriser, \
                   where the order of operations allows it.",
        hardware: "Vector registers and SIMD units: 128-bit SSE2 / NEON / simd128, 256-bit AVX2.",
        flynn: "SIMD",
        experiment: Experiment {
            route: SIMD_ROUTE,
            what: "scalar vs SIMD on four kernels, measured",
        },
    },
    Level {
        name: "TLP",
        long_name: "Thread-level parallelism",
        meaning: "Independent threads run on separate cores (or hardware threads) at once.",
        found_by: "The programmer, who splits the work (here: chunks handed to rayon tasks).",
        hardware: "Several cores, each with its own instruction stream; SMT inside a core.",
        flynn: "MIMD",
        experiment: Experiment {
            route: "#/serial",
            what: "the same count of primes on 1 and N threads, measured",
        },
    },
];
