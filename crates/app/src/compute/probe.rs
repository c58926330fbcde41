//! The start-up probe: how many threads are useful here, measured instead of trusted.
//!
//! `navigator.hardwareConcurrency` can over-report (WebKitGTK says 4 on a 2-core machine; iOS
//! says 4 whatever the device; Brave randomises it). Before the compute workers start, the page
//! starts one tiny JS worker per reported core (`web/probe-worker.js`) and times a fixed integer
//! loop in them: first one worker alone (to size the loop to about [`TARGET_MS`]), then all of
//! them once, untimed (so every worker's JIT has compiled the loop alike), then a *sweep*:
//! rounds of `k` workers at once for `k` on a ladder 1, 2, 3, 4, 6, 8, … up to the reported
//! count, up the ladder and down again. Each worker reports when its loop started and ended
//! on the shared clock (`timeOrigin + now()`).
//!
//! Throughput at `k` = `k · t1 / span`, where `span` runs from the first start to the last end
//! of the round (so workers that did not really overlap count as what they were) and `t1` is
//! the sweep's fastest 1-worker time: `k` on `k` free cores gives `k`; `k` workers time-sliced
//! on `c < k` cores give `c`. A sweep's
//! useful count is the smallest `m` after which no larger `k` adds at least
//! [`GAIN_PER_THREAD`] of a core per extra thread (hyper-threads and turbo-limited cores still
//! add that much; a time-sliced surplus adds nothing). A sweep whose two 1-worker timings
//! differ too much was taken on a machine too busy to read, and says nothing.
//!
//! Erring towards the reported count: one readable sweep that finds the reported count ends
//! the probe; a lower count needs two readable sweeps (the larger of their counts is taken);
//! after [`MAX_SWEEPS`] without that, the reported count stays. The pool is never made smaller
//! than 2 when 2 or more are reported: in a fraction of a second a single core cannot be told
//! from a busy machine, and one worker would leave nothing parallel to measure.
//!
//! All of this is a pure state machine ([`ProbeRun`]), tested natively; `bridge/probe.rs` runs
//! it on real workers.

/// Single-worker loop time the probe aims for (ms): long enough for the OS to time-slice
/// workers that share a core, short enough that the whole probe stays near 100–300 ms.
pub const TARGET_MS: f64 = 10.0;

/// Throughput (in cores) each thread beyond the useful count would have to add.
pub const GAIN_PER_THREAD: f64 = 0.25;

/// At most this many sweeps.
pub const MAX_SWEEPS: usize = 3;

/// First calibration size (loop turns) and the largest one tried.
const CALIBRATION_START: u64 = 1 << 19;
const CALIBRATION_MAX: u64 = 1 << 24;
/// Calibration goes on until one loop takes at least this long (ms).
const CALIBRATION_MIN_MS: f64 = 3.0;
/// If a sweep's 1-worker timings differ by more than this factor, the machine was too noisy.
const NOISE_LIMIT: f64 = 1.5;

/// The thread counts the probe tries for `reported` cores (always ends with `reported`).
pub fn ladder(reported: usize) -> Vec<usize> {
    const STEPS: [usize; 12] = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];
    let mut ks: Vec<usize> = STEPS.iter().copied().filter(|&k| k < reported).collect();
    ks.push(reported.max(1));
    ks
}

/// One sweep's thread counts, in order: up the ladder and down again.
pub fn sweep(reported: usize) -> Vec<usize> {
    let up = ladder(reported);
    up.iter().chain(up.iter().rev()).copied().collect()
}

/// One timed round of sweep `sweep`: `k` workers at once, each one's own loop time (ms), and
/// the round's span from the first start to the last end (ms, shared clock).
#[derive(Clone, Debug, PartialEq)]
pub struct Round {
    pub sweep: usize,
    pub k: usize,
    pub ms: Vec<f64>,
    pub span: f64,
}

impl Round {
    /// A round whose workers all started at once (span = the slowest).
    #[cfg(test)]
    pub fn aligned(sweep: usize, k: usize, ms: Vec<f64>) -> Round {
        let span = ms.iter().copied().fold(0.0, f64::max);
        Round { sweep, k, ms, span }
    }

    /// The round's wall time: the span, or the slowest worker if the clocks disagree.
    fn wall(&self) -> f64 {
        let slowest = self.ms.iter().copied().fold(0.0, f64::max);
        if self.span.is_finite() { self.span.max(slowest) } else { slowest }
    }
}

/// What the probe concluded.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// Threads to start: `raw`, but at least 2 when 2 or more are reported.
    pub measured: usize,
    /// What the timings say (1..=reported; the reported count when inconclusive).
    pub raw: usize,
    /// `false` when no count below the reported one could be read reliably; then `raw` is the
    /// reported count.
    pub conclusive: bool,
    /// Best throughput seen per thread count over the readable sweeps, in cores.
    pub throughput: Vec<(usize, f64)>,
    /// Sweeps run.
    pub sweeps: usize,
    /// Wall time the whole probe took (ms), filled in by the page.
    pub probe_ms: f64,
    /// Taken from the machine lab's card instead of a probe ([`Estimate::from_machine_lab`]).
    pub machine_lab: bool,
}

impl Estimate {
    /// The machine lab's measurement, when it is trustworthy for this page: made with the same
    /// reported count (same browser, same machine, most likely) and finding at least 2
    /// threads wherever 2 or more are reported (a card of 1 thread on a multi-core machine was
    /// most likely measured while something else took the other cores, so the probe decides).
    /// It measured for seconds what the probe measures in a fraction of one, so it wins, and
    /// the page starts faster without the probe.
    pub fn from_machine_lab(reported: usize, card_reported: usize, logical: usize) -> Option<Self> {
        let plausible = logical >= reported.min(2) && logical >= 1;
        (reported == card_reported && plausible).then(|| Estimate {
            measured: logical,
            raw: logical,
            conclusive: true,
            throughput: Vec::new(),
            sweeps: 0,
            probe_ms: 0.0,
            machine_lab: true,
        })
    }
}

/// Whether the probe can change the pool for `reported` cores: it never starts fewer than 2
/// threads where 2 or more are reported, nor more than reported, so with 2 reported (most
/// laptops' browsers in a VM, and this project's CI) the pool is 2 whatever it measures, and
/// the page starts the pool while the probe runs instead of after it.
pub fn probe_sizes_the_pool(reported: usize) -> bool {
    reported > 2
}

/// One sweep's useful count and throughput per thread count, `None` if it cannot be read.
pub fn read_sweep(reported: usize, rounds: &[&Round]) -> Option<(usize, Vec<(usize, f64)>)> {
    let singles: Vec<f64> = rounds
        .iter()
        .filter(|r| r.k == 1 && r.ms.len() == 1)
        .map(|r| r.ms[0])
        .filter(|&ms| ms.is_finite() && ms > 0.0)
        .collect();
    let t1 = singles.iter().copied().fold(f64::INFINITY, f64::min);
    let t1_max = singles.iter().copied().fold(0.0, f64::max);
    if !t1.is_finite() || t1_max > NOISE_LIMIT * t1 {
        return None;
    }
    let mut throughput: Vec<(usize, f64)> = Vec::new();
    for r in rounds {
        if r.ms.len() != r.k || r.ms.iter().any(|ms| !ms.is_finite() || *ms <= 0.0) {
            continue;
        }
        let t = (r.k as f64 * t1 / r.wall()).min(r.k as f64);
        match throughput.iter_mut().find(|(k, _)| *k == r.k) {
            Some((_, best)) => *best = best.max(t),
            None => throughput.push((r.k, t)),
        }
    }
    throughput.sort_by_key(|(k, _)| *k);
    if !ladder(reported).iter().all(|k| throughput.iter().any(|(j, _)| j == k)) {
        return None;
    }
    let m = throughput
        .iter()
        .find(|&&(m, tm)| {
            throughput
                .iter()
                .filter(|(k, _)| *k > m)
                .all(|&(k, tk)| tk - tm < GAIN_PER_THREAD * (k - m) as f64)
        })
        .map_or(reported, |&(m, _)| m);
    Some((m, throughput))
}

/// Decides the useful thread count from all rounds so far (see the module docs).
pub fn useful_threads(reported: usize, rounds: &[Round]) -> Estimate {
    let reported = reported.max(1);
    let sweeps = rounds.iter().map(|r| r.sweep + 1).max().unwrap_or(0);
    let readable: Vec<(usize, Vec<(usize, f64)>)> = (0..sweeps)
        .filter_map(|s| {
            let of_sweep: Vec<&Round> = rounds.iter().filter(|r| r.sweep == s).collect();
            read_sweep(reported, &of_sweep)
        })
        .collect();
    let mut throughput: Vec<(usize, f64)> = Vec::new();
    for (k, t) in readable.iter().flat_map(|(_, t)| t.iter().copied()) {
        match throughput.iter_mut().find(|(j, _)| *j == k) {
            Some((_, best)) => *best = best.max(t),
            None => throughput.push((k, t)),
        }
    }
    throughput.sort_by_key(|(k, _)| *k);
    let best = readable.iter().map(|(m, _)| *m).max();
    let (raw, conclusive) = match best {
        Some(m) if m >= reported => (reported, true),
        Some(m) if readable.len() >= 2 => (m, true),
        _ => (reported, false),
    };
    Estimate {
        measured: raw.max(reported.min(2)),
        raw,
        conclusive,
        throughput,
        sweeps,
        probe_ms: 0.0,
        machine_lab: false,
    }
}

/// What the page must do next.
#[derive(Clone, Debug, PartialEq)]
pub enum ProbeStep {
    /// Post `{ n, round }` to probe workers `0..k` at once (the round's id is `round`).
    Run {
        k: usize,
        n: u64,
        round: u32,
    },
    /// Wait for more replies.
    Wait,
    Finished(Estimate),
}

/// The probe's schedule: calibrate on worker 0, then sweeps until the count is clear.
#[derive(Clone, Debug)]
pub struct ProbeRun {
    reported: usize,
    /// Thread counts still to run in this sweep, in order.
    plan: Vec<usize>,
    calibrating: bool,
    /// The untimed round of all workers after calibration is running.
    warming: bool,
    sweep: usize,
    n: u64,
    round: u32,
    k: usize,
    /// (start, end) of the current round's replies so far (shared clock, ms).
    replies: Vec<(f64, f64)>,
    rounds: Vec<Round>,
}

impl ProbeRun {
    pub fn new(reported: usize) -> ProbeRun {
        ProbeRun {
            reported: reported.max(1),
            plan: sweep(reported),
            calibrating: true,
            warming: false,
            sweep: 0,
            n: CALIBRATION_START,
            round: 0,
            k: 1,
            replies: Vec::new(),
            rounds: Vec::new(),
        }
    }

    /// The first step, once every probe worker has started.
    pub fn start(&mut self) -> ProbeStep {
        self.post(1)
    }

    /// Worker reply: its loop of round `round` ran from `start` to `end` (shared clock, ms).
    pub fn on_reply(&mut self, round: u32, start: f64, end: f64) -> ProbeStep {
        if round != self.round {
            return ProbeStep::Wait; // stale
        }
        self.replies.push((start, end));
        if self.replies.len() < self.k {
            return ProbeStep::Wait;
        }
        let replies = std::mem::take(&mut self.replies);
        let ms: Vec<f64> = replies.iter().map(|(s, e)| e - s).collect();
        if self.calibrating {
            let ms = ms[0];
            if ms < CALIBRATION_MIN_MS && self.n < CALIBRATION_MAX {
                self.n = (self.n * 4).min(CALIBRATION_MAX);
                return self.post(1);
            }
            self.calibrating = false;
            let scale = if ms > 0.0 && ms.is_finite() { TARGET_MS / ms } else { 1.0 };
            self.n = ((self.n as f64 * scale) as u64).clamp(1 << 16, CALIBRATION_MAX * 4);
            if self.reported > 1 {
                self.warming = true;
                return self.post(self.reported);
            }
        } else if self.warming {
            self.warming = false;
        } else {
            let first = replies.iter().map(|r| r.0).fold(f64::INFINITY, f64::min);
            let last = replies.iter().map(|r| r.1).fold(f64::NEG_INFINITY, f64::max);
            self.rounds.push(Round { sweep: self.sweep, k: self.k, ms, span: last - first });
        }
        if self.plan.is_empty() {
            let estimate = self.estimate();
            if estimate.conclusive || self.sweep + 1 >= MAX_SWEEPS {
                return ProbeStep::Finished(estimate);
            }
            self.sweep += 1;
            self.plan = sweep(self.reported);
        }
        let k = self.plan.remove(0);
        self.post(k)
    }

    /// What the probe can say from the rounds so far (the reported count if too little).
    pub fn estimate(&self) -> Estimate {
        useful_threads(self.reported, &self.rounds)
    }

    fn post(&mut self, k: usize) -> ProbeStep {
        self.round += 1;
        self.k = k;
        ProbeStep::Run { k, n: self.n, round: self.round }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `sweeps` sweeps of rounds for `reported` workers: each worker's time is `t(k)` (e.g.
    /// stretched by time-slicing) times `noise(sweep, k, i)`.
    fn rounds_n(
        reported: usize,
        sweeps: usize,
        t: impl Fn(usize) -> f64,
        noise: impl Fn(usize, usize, usize) -> f64,
    ) -> Vec<Round> {
        (0..sweeps)
            .flat_map(|s| {
                sweep(reported)
                    .into_iter()
                    .map(|k| Round::aligned(s, k, (0..k).map(|i| t(k) * noise(s, k, i)).collect()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    fn rounds(reported: usize, t: impl Fn(usize) -> f64) -> Vec<Round> {
        rounds_n(reported, 2, t, |_, _, _| 1.0)
    }

    /// `cores` free cores: k workers take t1 · max(1, k / cores).
    fn sliced(cores: usize) -> impl Fn(usize) -> f64 {
        move |k| 10.0 * (k as f64 / cores as f64).max(1.0)
    }

    #[test]
    fn with_two_reported_every_outcome_is_a_pool_of_two() {
        assert!(!probe_sizes_the_pool(2) && probe_sizes_the_pool(3) && probe_sizes_the_pool(4));
        // Whatever the rounds say (nothing readable, one core, two), 2 reported gives 2.
        for ms in [[10.0, 20.0], [10.0, 10.0], [10.0, 30.0]] {
            let mut run = ProbeRun::new(2);
            let mut step = run.start();
            let mut guard = 0;
            while let ProbeStep::Run { k, round, .. } = step {
                let span = if k == 1 { ms[0] } else { ms[1] };
                for _ in 0..k {
                    step = run.on_reply(round, 0.0, span);
                }
                guard += 1;
                assert!(guard < 100, "the probe ends");
            }
            let ProbeStep::Finished(e) = step else { panic!("{step:?}") };
            assert_eq!(e.measured, 2, "{ms:?}: {e:?}");
        }
    }

    #[test]
    fn over_reported_cores_are_found_out() {
        // WebKitGTK on this 2-core machine reports 4.
        let e = useful_threads(4, &rounds(4, sliced(2)));
        assert_eq!((e.measured, e.raw, e.conclusive, e.sweeps), (2, 2, true, 2));
        assert_eq!(e.throughput, vec![(1, 1.0), (2, 2.0), (3, 2.0), (4, 2.0)]);
        // Uneven slicing: one worker ends early.
        let uneven = rounds_n(4, 2, sliced(2), |_, k, i| if k > 2 && i == 0 { 0.7 } else { 1.0 });
        assert_eq!(useful_threads(4, &uneven).measured, 2);
        assert_eq!(useful_threads(8, &rounds(8, sliced(4))).measured, 4);
        assert_eq!(useful_threads(16, &rounds(16, sliced(6))).measured, 6);
    }

    #[test]
    fn a_lower_count_needs_two_readable_sweeps() {
        let one = rounds_n(4, 1, sliced(2), |_, _, _| 1.0);
        let e = useful_threads(4, &one);
        assert_eq!((e.measured, e.conclusive), (4, false));
        // Two sweeps that disagree (2 and 3 of 4): the larger count.
        let two = rounds_n(
            4,
            2,
            |k| if k <= 3 { 10.0 } else { 13.3 },
            |s, k, _| {
                if s == 0 && k >= 3 { 1.5 } else { 1.0 }
            },
        );
        assert_eq!(useful_threads(4, &two).measured, 3);
        // A sweep that finds the reported count settles it.
        let honest = rounds_n(4, 1, sliced(4), |_, _, _| 1.0);
        assert_eq!(
            useful_threads(4, &honest),
            Estimate {
                measured: 4,
                raw: 4,
                conclusive: true,
                throughput: vec![(1, 1.0), (2, 2.0), (3, 3.0), (4, 4.0)],
                sweeps: 1,
                probe_ms: 0.0,
                machine_lab: false,
            }
        );
    }

    #[test]
    fn machine_lab_card_when_plausible() {
        let e = Estimate::from_machine_lab(4, 4, 2).expect("same machine, 2 threads");
        assert_eq!((e.measured, e.raw, e.conclusive, e.machine_lab), (2, 2, true, true));
        assert!(Estimate::from_machine_lab(8, 4, 4).is_none(), "another reported count");
        assert!(Estimate::from_machine_lab(4, 4, 1).is_none(), "1 of 4: measured under load");
        assert_eq!(Estimate::from_machine_lab(1, 1, 1).map(|e| e.measured), Some(1));
    }

    #[test]
    fn honest_counts_stay() {
        for n in [2, 3, 4, 8, 12, 64] {
            assert_eq!(useful_threads(n, &rounds(n, sliced(n))).measured, n, "{n}");
        }
        // Hyper-threads (8 logical on 4 physical, +35 % each) and all-core turbo limits
        // (each core 22 % slower when all run) still count.
        let smt =
            |k: usize| 10.0 * if k <= 4 { 1.0 } else { k as f64 / (4.0 + 0.35 * (k - 4) as f64) };
        assert_eq!(useful_threads(8, &rounds(8, smt)).measured, 8);
        let turbo = |k: usize| 10.0 * (1.0 + 0.22 * (k - 1) as f64 / 7.0);
        assert_eq!(useful_threads(8, &rounds(8, turbo)).measured, 8);
    }

    #[test]
    fn a_busy_machine_is_not_taken_for_fewer_cores() {
        // Another busy process shares the 2 cores: k + 1 runnable threads get 2 / (k + 1) of a
        // core each, so our throughput is 1, 1.33, 1.5, 1.6 for k = 1..4.
        let one_busy = |k: usize| 10.0 * (k as f64 + 1.0) / 2.0;
        assert_eq!(useful_threads(2, &rounds(2, one_busy)).measured, 2);
        assert_eq!(useful_threads(4, &rounds(4, one_busy)).measured, 2);
        // Two busy processes: 1, 1.5, 1.8, 2.0.
        let two_busy = |k: usize| 10.0 * (k as f64 + 2.0) / 3.0;
        assert_eq!(useful_threads(2, &rounds(2, two_busy)).measured, 2);
        // One of the two 2-thread rounds hit by a hiccup: the better one counts.
        let hit = rounds_n(2, 1, sliced(2), |_, k, i| if k == 2 && i == 1 { 2.5 } else { 1.0 });
        assert_eq!(useful_threads(2, &hit).measured, 2);
        // Jitter of ±15 % on every worker.
        let jitter = |s: usize, k: usize, i: usize| {
            1.0 + 0.15 * (((s * 3 + k * 7 + i * 13) % 5) as f64 - 2.0) / 2.0
        };
        assert_eq!(useful_threads(2, &rounds_n(2, 2, sliced(2), jitter)).measured, 2);
        assert_eq!(useful_threads(4, &rounds_n(4, 2, sliced(2), jitter)).measured, 2);
        // 1-worker times that differ by 2x: unreadable, the reported count stays.
        let noisy: Vec<Round> = rounds_n(4, 3, sliced(2), |_, _, _| 1.0)
            .into_iter()
            .enumerate()
            .map(|(i, mut r)| {
                if r.k == 1 && i % 2 == 1 {
                    r.ms[0] *= 2.0;
                }
                r
            })
            .collect();
        assert!(!useful_threads(4, &noisy).conclusive);
        assert_eq!(useful_threads(4, &noisy).measured, 4);
    }

    #[test]
    fn workers_that_did_not_overlap_do_not_count_as_parallel() {
        // Each of 4 workers alone on the CPU in turn (e.g. messages delivered late): every
        // loop took t1, but the round spanned 4 t1.
        let serial: Vec<Round> = rounds(4, sliced(4))
            .into_iter()
            .map(|mut r| {
                r.span = 10.0 * r.k as f64;
                r
            })
            .collect();
        let e = useful_threads(4, &serial);
        assert_eq!((e.raw, e.measured), (1, 2));
    }

    #[test]
    fn never_fewer_than_two_when_two_are_reported() {
        // A real single core (or 2-thread rounds that were all hit): 1 is what the timings
        // say, 2 workers are still started.
        let e = useful_threads(2, &rounds(2, sliced(1)));
        assert_eq!((e.raw, e.measured, e.conclusive), (1, 2, true));
        assert_eq!(useful_threads(4, &rounds(4, sliced(1))).measured, 2);
        assert_eq!(useful_threads(1, &rounds(1, sliced(1))).measured, 1);
    }

    #[test]
    fn unreadable_probes_give_the_reported_count() {
        assert!(!useful_threads(4, &[]).conclusive);
        let coarse = useful_threads(
            2,
            &[Round::aligned(0, 1, vec![0.0]), Round::aligned(0, 2, vec![0.0, 0.0])],
        );
        assert_eq!((coarse.measured, coarse.conclusive), (2, false));
        // Rounds missing from the ladder: unreadable.
        let partial: Vec<Round> = rounds(4, sliced(2)).into_iter().filter(|r| r.k != 3).collect();
        assert!(!useful_threads(4, &partial).conclusive);
    }

    #[test]
    fn the_ladder() {
        assert_eq!(ladder(1), vec![1]);
        assert_eq!(ladder(2), vec![1, 2]);
        assert_eq!(ladder(4), vec![1, 2, 3, 4]);
        assert_eq!(ladder(10), vec![1, 2, 3, 4, 6, 8, 10]);
        assert_eq!(ladder(64).len(), 12);
        assert_eq!(sweep(3), vec![1, 2, 3, 3, 2, 1]);
    }

    /// Plays `cores` free cores doing 1 M loop turns per ms each; returns the ks posted.
    fn play(run: &mut ProbeRun, cores: f64) -> (Vec<usize>, Estimate) {
        let mut step = run.start();
        let mut seen = Vec::new();
        loop {
            match step {
                ProbeStep::Run { k, n, round } => {
                    seen.push(k);
                    let ms = n as f64 / 1.0e6 * (k as f64 / cores).max(1.0);
                    for _ in 0..k {
                        step = run.on_reply(round, 100.0, 100.0 + ms);
                    }
                    assert_eq!(
                        run.on_reply(round + 7, 0.0, 1.0),
                        ProbeStep::Wait,
                        "stale replies are ignored"
                    );
                }
                ProbeStep::Wait => panic!("all replies were given"),
                ProbeStep::Finished(e) => return (seen, e),
            }
        }
    }

    #[test]
    fn the_run_calibrates_then_sweeps_until_the_count_is_clear() {
        let mut run = ProbeRun::new(3);
        let (seen, e) = play(&mut run, 2.0);
        assert_eq!((e.measured, e.conclusive, e.sweeps), (2, true, 2));
        // Calibration on one worker (524k turns: 0.5 ms, 2 M: 2 ms, 8 M: 8 ms), all 3 workers
        // once (untimed), then two sweeps: 2 < 3 reported needs a second one.
        assert_eq!(seen, vec![1, 1, 1, 3, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 1]);
        assert!((run.n as f64 - 10.0e6).abs() < 2.0, "{}", run.n);
        // An honest count: one sweep.
        let (seen, e) = play(&mut ProbeRun::new(2), 2.0);
        assert_eq!((seen.len(), e.measured, e.sweeps), (3 + 1 + 4, 2, 1));
    }
}
