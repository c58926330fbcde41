//! The CPU lab's die view: the shared [`crate::die::Die`] sized for this machine, lit by the
//! tab's latest real run, with the explanation of logical vs physical cores beside it. The
//! only view of the lab that shows a measurement (the others are models).

use yew::html::Scope;
use yew::prelude::*;

use super::{CpuLesson, Msg, Settings};
use crate::activity;
use crate::die::{Die, SLOW, SLOW_DEFAULT, explanation, hardware_concurrency, lamps::SMT};
use crate::url::Query;

/// The view's URL state: `die_slow` (replay slow-down factor).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DieSettings {
    pub slow: u32,
}

impl DieSettings {
    pub fn read(q: &Query, notes: &mut Vec<String>) -> DieSettings {
        let parse = |s: &str| s.parse::<u32>().ok().filter(|k| SLOW.contains(k));
        DieSettings { slow: q.choice("die_slow", SLOW_DEFAULT, parse, notes) }
    }

    pub fn write(&self, q: &mut Query) {
        q.set("die_slow", self.slow);
    }
}

/// Cores to draw: enough for every logical CPU the browser reports, every pool thread and
/// every thread of the last run, at two hardware threads per core.
pub fn cores_for(hc: usize, pool: usize, span: usize) -> usize {
    hc.max(pool).max(span).div_ceil(SMT).clamp(1, 64)
}

pub fn view(s: &DieSettings, link: &Scope<CpuLesson>, pool: usize, layout: u32) -> Html {
    let run = activity::last();
    let hc = hardware_concurrency();
    let cores = cores_for(hc, pool, run.as_ref().map_or(0, |r| r.busy.span()));
    let on_slow =
        link.callback(|k: u32| Msg::Set(Box::new(move |st: &mut Settings| st.die.slow = k)));
    html! {
        <div class="cpu-row die-row">
            <div>
                <h2>{ format!("Your run on a {cores}-core die") }</h2>
                <Die {cores} {run} slow={s.slow} {on_slow} {layout} />
            </div>
            { explanation(hc, pool) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enough_cores_for_everything_seen() {
        assert_eq!(cores_for(8, 8, 0), 4);
        assert_eq!(cores_for(0, 0, 0), 1);
        assert_eq!(cores_for(2, 6, 0), 3, "pool=6 overrides a small hardwareConcurrency");
        assert_eq!(cores_for(4, 4, 7), 4);
        assert_eq!(cores_for(4, 4, 9), 5);
        assert_eq!(cores_for(1000, 1, 1), 64);
    }
}
