//! The questions each experiment asks and the short explanation of a prediction's gap, built
//! from the run's own numbers (never hard-coded results). Plain strings, tested natively.

use super::Question;

/// Highest speedup a student may predict (a typo guard, not a physical bound).
const MAX_SPEEDUP: f64 = 1000.0;

/// "What speedup will `n` threads give over 1 thread?" (Serial vs parallel, Amdahl).
pub fn speedup_question(n: usize) -> Question {
    Question::number(
        format!("What speedup will {n} threads give over 1 thread?"),
        "×",
        0.0,
        MAX_SPEEDUP,
        2,
    )
}

/// Serial vs parallel: why `speedup` on `n` threads is where it is.
pub fn serial(n: usize, speedup: f64) -> String {
    let eff = speedup / n as f64 * 100.0;
    let head = format!(
        "{n} threads were {speedup:.2}× as fast as 1 thread, {eff:.0} % of the ideal {n}×. "
    );
    if eff >= 90.0 {
        head + "Testing numbers for primality splits into independent chunks, so it scales almost \
                perfectly while every thread has a core of its own."
    } else {
        head + "What is missing is work a serial run never does: starting and joining the threads, \
                handing out chunks, the last big chunks that leave the other threads idle, and cores \
                shared with the browser and other programs (a hyper-thread counts as a core but does \
                not do a core's work)."
    }
}

/// Amdahl: the bound the measured serial share sets, and what the fit says about the rest.
/// `serial`: the measured serial share of the 1-thread run (`None`: nothing injected);
/// `fitted_p`: p fitted to all measured points.
pub fn amdahl(n: usize, speedup: f64, serial: Option<f64>, fitted_p: Option<f64>) -> String {
    let nf = n as f64;
    let s = serial.unwrap_or(0.0);
    let bound = 1.0 / (s + (1.0 - s) / nf);
    let mut out = match serial {
        Some(s) => format!(
            "The serial share measured in this run, {:.1} % of the 1-thread time, lets {n} threads \
             reach at most 1 / ({:.3} + {:.3} / {n}) = {bound:.2}× (Amdahl). ",
            s * 100.0,
            s,
            1.0 - s
        ),
        None => format!("Nothing serial was injected, so Amdahl's bound for {n} threads is {n}×. "),
    };
    out += &format!("Measured: {speedup:.2}×. ");
    if speedup < bound * 0.95 {
        out += "The rest of the gap is the overhead of parallelism itself: forking and joining \
                threads, uneven chunks and cores shared with other programs";
        if let Some(p) = fitted_p {
            out += &format!(
                "; the p fitted to all points is {p:.3}, so the run behaves as if {:.1} % of it \
                 were serial",
                (1.0 - p) * 100.0
            );
        }
        out += ".";
    } else {
        out += "That is close to the bound: the serial part, not overhead, is what limits it.";
    }
    out
}

/// GIL: which mode won and why, from the modes' measured medians (`(label, ms)`), the GIL
/// hand-offs, and whether the workload spends its time with the GIL released.
pub fn gil(n: usize, medians: &[(String, f64)], handoffs: u64, releases_gil: bool) -> String {
    let times: Vec<String> = medians.iter().map(|(m, ms)| format!("{m} {ms:.1} ms")).collect();
    let mut out = format!("On {n} threads: {}. ", times.join(", "));
    if releases_gil {
        out += "This workload spends much of its time waiting or in C code with the GIL released, \
                so threads overlap even under the GIL; the lock only serialises the bytecode between \
                those waits.";
    } else {
        out += &format!(
            "Only the thread that holds the GIL runs bytecode: one lock holder at a time, handed \
             over {}, so GIL threads take turns instead of running at once. \
             Free-threaded threads and processes run at the same time; processes also pay for \
             copying their messages.",
            if handoffs == 1 { "once".to_string() } else { format!("{handoffs} times") }
        );
    }
    out
}

/// Races: how many updates the worst racy run lost, and why that number varies.
pub fn races(worst_lost: u64, expected: u64, runs: usize, runs_with_loss: usize) -> String {
    let pct = worst_lost as f64 / expected.max(1) as f64 * 100.0;
    format!(
        "The worst of {runs} runs lost {} of {} updates ({pct:.1} %); \
         {runs_with_loss} of the {runs} runs lost some. Lost updates depend on interleaving: an \
         increment is a load and a store, and each time another thread stores in between, one \
         increment is overwritten. How often that happens depends on how the threads are \
         scheduled and how the counter's cache line moves between cores, so it changes from run \
         to run. The mutex, the atomic and the reduction lost none.",
        super::group(worst_lost as f64, 0),
        super::group(expected as f64, 0)
    )
}

/// SIMD: why `speedup` of `lanes`-lane SIMD over scalar is where it is, for the kernel `kernel`
/// (`sum`, `dot`, `saxpy`, `mandelbrot`).
pub fn simd(kernel: &str, lanes: usize, speedup: f64) -> String {
    let head = format!(
        "simd128 handles {lanes} numbers per instruction and was {speedup:.2}× as fast as scalar. "
    );
    let why = match kernel {
        "sum" | "dot" => {
            "Each scalar addition waits for the one before it; the SIMD version keeps one partial \
             sum per lane, so one addition per lane is in flight per instruction: near the lane \
             count while the data comes from the caches, less once loading it from memory is the \
             limit."
        }
        "saxpy" => {
            "saxpy moves 12 bytes for 2 floating-point operations: memory, not arithmetic, limits \
             it, for scalar and SIMD alike, so wider instructions help little once the data comes \
             from memory rather than the caches."
        }
        _ => {
            "A vector of pixels iterates until its slowest pixel escapes, so lanes whose pixels \
             finished early idle while the others still work."
        }
    };
    head + why
}

/// The machine lab: the measured core count against the browser's report.
pub fn machine(reported: usize, measured: usize) -> String {
    let head = format!(
        "The browser reports {reported} logical cores; {measured} copies of a compute loop ran at \
         full speed at once. "
    );
    head + if measured < reported {
        "Fewer than reported: hyper-threads share one physical core's execution units, so two of \
         them do not do twice the work, and the browser and other programs use cores too."
    } else if measured == reported {
        "Every reported core did a core's work."
    } else {
        "More than reported: browsers round or cap the number they report."
    }
}

/// The GIL question: with several modes, which finishes `n` threads first (`modes`:
/// `(value, label)`); with one, the speedup of `n` threads in it.
pub fn gil_question(n: usize, modes: &[(String, String)]) -> Question {
    match modes {
        [(_, label)] => Question::number(
            format!("What speedup will {n} threads give over 1 in the mode {label}?"),
            "×",
            0.0,
            MAX_SPEEDUP,
            2,
        ),
        _ => Question::choice(format!("Which mode will run {n} threads fastest?"), modes.to_vec()),
    }
}

/// The lost-updates question of the races lesson.
pub fn races_question(k: usize, m: u64, runs: usize) -> Question {
    let total = k as f64 * m as f64;
    Question::number(
        format!(
            "{k} threads each add 1 to a shared counter {} times without a lock. How many of \
             the {} updates will the worst of {runs} runs lose?",
            super::group(m as f64, 0),
            super::group(total, 0)
        ),
        "",
        0.0,
        total,
        0,
    )
}

/// The SIMD question.
pub fn simd_question(lanes: usize, threads: usize) -> Question {
    Question::number(
        format!(
            "How much faster will simd128 ({lanes} lanes) be than scalar code on {threads} thread{}?",
            if threads == 1 { "" } else { "s" }
        ),
        "×",
        0.0,
        MAX_SPEEDUP,
        2,
    )
}

/// The machine lab's question.
pub fn machine_question() -> Question {
    Question::number(
        "How many cores will be measured working at full speed at once?".into(),
        "",
        1.0,
        1024.0,
        0,
    )
}
