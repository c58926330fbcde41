//! What each logical CPU of the drawn die shows: pure, so it is unit-tested natively.
//!
//! Numbering follows Linux: on a chip of `n` cores with `k` hardware threads each, logical
//! CPUs `i`, `i + n`, … `i + (k − 1)·n` are the hardware threads of core `i`. Thread `k` of a run is drawn
//! on logical CPU `k` (the browser never says which core ran a worker), so the first `n`
//! threads land on separate cores, which is where an operating system would put them first.

use parlab_kernels::busy::Busy;
use parlab_kernels::machine::MachineCard;

/// Hardware threads per core drawn when nothing was measured: 2-way SMT, as Intel
/// Hyper-Threading and AMD SMT (the browser cannot tell).
pub const SMT_ASSUMED: usize = 2;
/// Most hardware threads per core the die draws (IBM POWER has 8; x86 and Arm have 1 or 2).
pub const SMT_MAX: usize = 4;

/// Hardware threads per core: from the machine lab's card (logical threads ÷ physical cores,
/// rounded) when there is one, else [`SMT_ASSUMED`]. The flag says whether it was measured.
pub fn smt_of(card: Option<&MachineCard>) -> (usize, bool) {
    match card.filter(|c| c.measured_cores > 0 && c.logical_threads > 0) {
        Some(c) => {
            let k = (c.logical_threads as f64 / c.measured_cores as f64).round() as usize;
            (k.clamp(1, SMT_MAX), true)
        }
        None => (SMT_ASSUMED, false),
    }
}

/// One logical CPU's lamp.
#[derive(Clone, Debug, PartialEq)]
pub struct Lamp {
    /// Logical CPU index (= the run's thread index drawn on it).
    pub cpu: usize,
    /// Physical core it belongs to.
    pub core: usize,
    /// Which of the core's hardware threads (0 … smt − 1).
    pub hw: usize,
    /// Brightness 0..=1.
    pub level: f64,
    /// Busy share shown under the lamp, 0..=1 (`None`: the thread did no work).
    pub share: Option<f64>,
    /// Working right now in a replay (always false in the whole-run summary).
    pub now: bool,
}

/// The core and hardware thread of logical CPU `cpu` on a chip of `cores` cores.
pub fn place(cpu: usize, cores: usize) -> (usize, usize) {
    let cores = cores.max(1);
    (cpu % cores, cpu / cores)
}

/// Lamps for the `smt × cores` logical CPUs. `t_ms = None` (or a time at or past the wall)
/// shows the whole run: brightness = busy share of the wall time. A time inside the run
/// shows that instant of the replay: full brightness while the thread computes, dim while it
/// waits, and its busy share so far.
pub fn lamps(busy: Option<&Busy>, cores: usize, smt: usize, t_ms: Option<f64>) -> Vec<Lamp> {
    let (cores, smt) = (cores.max(1), smt.clamp(1, SMT_MAX));
    let wall = busy.map_or(0.0, |b| b.wall_ms);
    let t = t_ms.filter(|t| t.is_finite() && *t < wall).map(|t| t.max(0.0));
    (0..smt * cores)
        .map(|cpu| {
            let (core, hw) = place(cpu, cores);
            let thread = busy.and_then(|b| b.thread(cpu));
            let (level, share, now) = match (thread, t) {
                (None, _) => (0.0, None, false),
                (Some(th), Some(t)) => {
                    let now = th.busy_at(t);
                    let so_far = if t > 0.0 { (th.busy_until(t) / t).clamp(0.0, 1.0) } else { 0.0 };
                    (if now { 1.0 } else { 0.12 }, Some(so_far), now)
                }
                (Some(_), None) => {
                    let f = busy.map_or(0.0, |b| b.fraction(cpu));
                    (f, Some(f), false)
                }
            };
            Lamp { cpu, core, hw, level, share, now }
        })
        .collect()
}

/// Threads of the run that do not fit on a die of `cores` cores with `smt` hardware threads
/// each (thread index ≥ smt × cores).
pub fn hidden_threads(busy: &Busy, cores: usize, smt: usize) -> usize {
    busy.threads.iter().filter(|t| t.thread >= smt.clamp(1, SMT_MAX) * cores.max(1)).count()
}

/// Columns of cores for a die of `cores` cores: a near-square grid (`rows = ⌊√n⌋`), at most
/// 4 columns (8 beyond 16 cores, so a big chip is not a long list), or 2 on a `narrow`
/// (phone) screen so the labels stay readable.
pub fn columns(cores: usize, narrow: bool) -> usize {
    let cores = cores.max(1);
    let rows = ((cores as f64).sqrt().floor() as usize).max(1);
    match (narrow, cores > 16) {
        (true, _) => cores.div_ceil(rows).min(2),
        (false, false) => cores.div_ceil(rows).min(4),
        (false, true) => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parlab_kernels::ChunkRecord;

    fn busy() -> Busy {
        let rec = |thread, start_ms, end_ms| ChunkRecord { chunk: 0, thread, start_ms, end_ms };
        Busy::from_parts(10.0, None, &[rec(0, 0.0, 10.0), rec(1, 0.0, 5.0), rec(5, 2.0, 3.0)])
    }

    #[test]
    fn linux_numbering() {
        assert_eq!(place(0, 4), (0, 0));
        assert_eq!(place(3, 4), (3, 0));
        assert_eq!(place(4, 4), (0, 1));
        assert_eq!(place(7, 4), (3, 1));
        assert_eq!(place(1, 0), (0, 1), "no panic on 0 cores");
    }

    #[test]
    fn summary_lights_by_busy_share() {
        let l = lamps(Some(&busy()), 2, 2, None);
        assert_eq!(l.len(), 4);
        assert_eq!((l[0].level, l[0].share), (1.0, Some(1.0)));
        assert_eq!((l[1].level, l[1].share), (0.5, Some(0.5)));
        assert_eq!((l[2].level, l[2].share), (0.0, None));
        assert!(l.iter().all(|l| !l.now));
        assert_eq!(hidden_threads(&busy(), 2, 2), 1, "thread 5 has no CPU on 2 cores");
        assert_eq!(hidden_threads(&busy(), 3, 2), 0);
    }

    #[test]
    fn replay_lights_who_works_now() {
        let l = lamps(Some(&busy()), 2, 2, Some(7.0));
        assert!(l[0].now && !l[1].now);
        assert_eq!(l[1].level, 0.12);
        assert!((l[1].share.unwrap() - 5.0 / 7.0).abs() < 1e-12);
        // At or past the wall: the whole-run summary again.
        assert_eq!(lamps(Some(&busy()), 2, 2, Some(10.0)), lamps(Some(&busy()), 2, 2, None));
        assert_eq!(lamps(Some(&busy()), 2, 2, Some(f64::NAN)), lamps(Some(&busy()), 2, 2, None));
    }

    #[test]
    fn measured_smt_changes_the_layout() {
        // Without SMT every logical CPU is its own core: thread 1 lights core 1.
        let l = lamps(Some(&busy()), 2, 1, None);
        assert_eq!(l.len(), 2);
        assert_eq!((l[1].core, l[1].hw), (1, 0));
        assert_eq!(hidden_threads(&busy(), 2, 1), 1);
        assert_eq!(hidden_threads(&busy(), 3, 2), 0);
        assert_eq!(lamps(None, 2, 9, None).len(), 2 * SMT_MAX, "clamped");
    }

    #[test]
    fn smt_from_the_machine_card() {
        let card = |cores, logical| MachineCard {
            measured_cores: cores,
            logical_threads: logical,
            ..MachineCard::default()
        };
        assert_eq!(smt_of(None), (SMT_ASSUMED, false));
        assert_eq!(smt_of(Some(&card(2, 2))), (1, true));
        assert_eq!(smt_of(Some(&card(4, 8))), (2, true));
        assert_eq!(smt_of(Some(&card(6, 8))), (1, true), "rounded");
        assert_eq!(smt_of(Some(&card(1, 64))), (SMT_MAX, true));
        assert_eq!(smt_of(Some(&card(0, 0))), (SMT_ASSUMED, false), "not measured");
    }

    #[test]
    fn no_run_is_dark() {
        let l = lamps(None, 3, 2, Some(1.0));
        assert_eq!(l.len(), 6);
        assert!(l.iter().all(|l| l.level == 0.0 && l.share.is_none()));
    }

    #[test]
    fn columns_stay_readable() {
        assert_eq!(columns(1, false), 1);
        assert_eq!(columns(2, false), 2);
        assert_eq!(columns(3, false), 3);
        assert_eq!(columns(4, false), 2);
        assert_eq!(columns(6, false), 3);
        assert_eq!(columns(8, false), 4);
        assert_eq!(columns(16, false), 4);
        assert_eq!(columns(32, false), 8);
        assert_eq!(columns(32, true), 2);
        assert_eq!(columns(4, true), 2);
        assert_eq!(columns(1, true), 1);
        assert_eq!(columns(0, true), 1);
    }
}
