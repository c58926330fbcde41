//! The CPU lab's die view: the shared [`crate::die::Die`] sized for this machine, lit by the
//! tab's latest real run, with the explanation of logical vs physical cores beside it. The
//! only view of the lab that shows a measurement (the others are models).

use yew::html::Scope;
use yew::prelude::*;

use super::{CpuLesson, Msg, Settings};
use crate::activity;
use crate::controls::{edit, on_number, slider};
use crate::die::lamps::{SMT_ASSUMED, smt_of};
use crate::die::{Die, SLOW, SLOW_DEFAULT, explanation, hardware_concurrency};
use crate::lessons::Host;
use crate::params::{self, Param};
use crate::url::Query;

/// Most physical cores the view draws.
pub const CORES_MAX: usize = 64;

const DIE_SLOW: Param = params::custom(
    "die_slow",
    "100",
    "10, 100, 1000, 10000",
    "Slow-down of the replay of the latest run.",
)
.control("[data-testid=\"die-slow\"]");
const DIE_CORES: Param = params::custom(
    "die_cores",
    "auto",
    "auto, 1–64",
    "Physical cores to draw (auto: from the browser, the pool and the run).",
)
.control("[data-testid=\"die-cores\"]");

/// The view's parameters.
pub const PARAMS: [Param; 2] = [DIE_SLOW, DIE_CORES];

/// The view's URL state: `die_slow` (replay slow-down factor) and `die_cores` (`auto`, or the
/// physical cores to draw when the user knows better than `hardwareConcurrency / 2`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DieSettings {
    pub slow: u32,
    /// `None`: derived from the browser, the pool and the run ([`cores_for`]).
    pub cores: Option<usize>,
}

impl DieSettings {
    pub fn read(q: &Query, notes: &mut Vec<String>) -> DieSettings {
        let parse = |s: &str| s.parse::<u32>().ok().filter(|k| SLOW.contains(k));
        let cores = match DIE_CORES.raw(q) {
            None | Some("auto") => None,
            Some(_) => Some(DIE_CORES.int_in(q, 1..=CORES_MAX, notes)),
        };
        DieSettings { slow: q.choice(DIE_SLOW.key, SLOW_DEFAULT, parse, notes), cores }
    }

    pub fn write(&self, q: &mut Query) {
        DIE_SLOW.put(q, self.slow);
        DIE_CORES.put(q, self.cores.map_or("auto".to_string(), |c| c.to_string()));
    }
}

/// Cores to draw: enough for every logical CPU the browser reports, every pool thread and
/// every thread of the last run, at `smt` hardware threads per core.
pub fn cores_for(hc: usize, pool: usize, span: usize, smt: usize) -> usize {
    hc.max(pool).max(span).div_ceil(smt.max(1)).clamp(1, CORES_MAX)
}

pub fn view(s: &DieSettings, link: &Scope<Host<CpuLesson>>, pool: usize, layout: u32) -> Html {
    let run = activity::last();
    let hc = hardware_concurrency();
    let span = run.as_ref().map_or(0, |r| r.busy.span());
    // Measured by the machine lab on this site: its physical cores, if they cover everything.
    let measured = activity::machine_card().filter(|c| c.measured_cores > 0);
    let (smt, _) = smt_of(measured.as_ref());
    let auto = match &measured {
        Some(c) => c.measured_cores.max(pool.max(span).div_ceil(smt)).clamp(1, CORES_MAX),
        None => cores_for(hc, pool, span, smt),
    };
    let cores = s.cores.unwrap_or(auto);
    let on_slow =
        link.callback(|k: u32| Msg::Set(Box::new(move |st: &mut Settings| st.die.slow = k)));
    let on_cores = on_number(link, |st: &mut Settings, v| {
        st.die.cores = Some((v as usize).clamp(1, CORES_MAX));
    });
    let to_auto = edit(link, |st| st.die.cores = None);
    let hint = html! {
        <span class="hint">
            if s.cores.is_some() {
                { format!("set by you; automatic would be {auto}. ") }
                <button class="linkish" data-testid="die-cores-auto" onclick={to_auto.reform(|_| ())}>{ "Use automatic" }</button>
            } else {
                { match &measured {
                    Some(c) => format!("automatic: {} cores measured by the machine lab ({} logical threads, so {smt} hardware \
                        thread{} per core drawn; hyper-threading gain {:.2}×). Set it if you know your chip.",
                        c.measured_cores, c.logical_threads, if smt == 1 { "" } else { "s" }, c.smt_gain),
                    None => format!("automatic: {} logical CPUs ÷ {SMT_ASSUMED} hardware threads per core, assumed: \
                        measure them in the machine lab. Set it if you know your chip.", SMT_ASSUMED * auto),
                } }
            }
        </span>
    };
    let top = CORES_MAX.min(16.max(cores)) as f64;
    html! {
        <div class="cpu-row die-row">
            <div>
                <h2>{ format!("Your run on a {cores}-core die") }</h2>
                <div class="controls" role="group" aria-label="Die">
                    { slider("die-cores", format!("Physical cores drawn: {cores}"), (1.0, top, 1.0),
                        cores as f64, format!("{cores} cores"), hint, on_cores) }
                </div>
                <Die {cores} {smt} {run} slow={s.slow} {on_slow} {layout} />
            </div>
            { explanation(hc, pool, measured.as_ref()) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enough_cores_for_everything_seen() {
        assert_eq!(cores_for(8, 8, 0, 2), 4);
        assert_eq!(cores_for(0, 0, 0, 2), 1);
        assert_eq!(cores_for(2, 6, 0, 2), 3, "pool=6 overrides a small hardwareConcurrency");
        assert_eq!(cores_for(4, 4, 7, 2), 4);
        assert_eq!(cores_for(4, 4, 9, 2), 5);
        assert_eq!(cores_for(1000, 1, 1, 2), 64);
        assert_eq!(cores_for(2, 2, 0, 1), 2, "no SMT measured: one core per logical CPU");
    }
}
