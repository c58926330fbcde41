//! The die as SVG: crisp at any zoom, readable by screen readers (a `<title>` sums it up), and
//! styled by the page's light/dark CSS. Each core is a box with its hardware threads (logical
//! CPUs) as lamps; the shared L3 cache runs along the bottom, as on real dies.

use yew::prelude::*;

use super::lamps::{Lamp, SMT_MAX, columns};
use crate::plot::THREAD_COLOURS;

const CORE_W: f64 = 150.0;
const CORE_H: f64 = 112.0;
const GAP: f64 = 12.0;
const PAD: f64 = 14.0;
const L3_H: f64 = 30.0;
const LAMP_W: f64 = 60.0;
const LAMP_H: f64 = 36.0;

/// CSS colour of thread `k` (the same Okabe–Ito colours as the timelines).
pub fn thread_colour(k: usize) -> String {
    let c = THREAD_COLOURS[k % THREAD_COLOURS.len()];
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

/// Percent label for a busy share (`idle` when the thread did nothing).
pub fn percent(share: Option<f64>) -> String {
    share.map_or("idle".into(), |s| format!("{:.0} %", s * 100.0))
}

/// Left edge (relative to the core's) and width of hardware thread `hw`'s lamp in a core of
/// `smt` threads: one lamp is centred, two sit at the edges, more share the width.
fn lamp_slot(hw: usize, smt: usize) -> (f64, f64) {
    const INNER: f64 = CORE_W - 20.0;
    const SPACE: f64 = 6.0;
    match smt {
        0 | 1 => ((CORE_W - LAMP_W) / 2.0, LAMP_W),
        2 => (10.0 + hw as f64 * (INNER - LAMP_W), LAMP_W),
        k => {
            let w = (INNER - SPACE * (k - 1) as f64) / k as f64;
            (10.0 + hw as f64 * (w + SPACE), w)
        }
    }
}

/// The die with `cores` cores of `smt` hardware threads and the given lamps (see
/// [`super::lamps::lamps`]).
pub fn die(cores: usize, smt: usize, lamps: &[Lamp], narrow: bool, summary: &str) -> Html {
    let (cores, smt) = (cores.max(1), smt.clamp(1, SMT_MAX));
    let cols = columns(cores, narrow);
    let rows = cores.div_ceil(cols);
    let width = 2.0 * PAD + cols as f64 * (CORE_W + GAP) - GAP;
    let cores_h = rows as f64 * (CORE_H + GAP);
    let height = 2.0 * PAD + cores_h + L3_H;
    let core_at = |c: usize| {
        (PAD + (c % cols) as f64 * (CORE_W + GAP), PAD + (c / cols) as f64 * (CORE_H + GAP))
    };
    let core = |c: usize| {
        let (x, y) = core_at(c);
        html! {
            <g class="die-core">
                <rect x={x.to_string()} y={y.to_string()} width={CORE_W.to_string()} height={CORE_H.to_string()} rx="6" />
                <text class="die-core-label" x={(x + 10.0).to_string()} y={(y + 19.0).to_string()}>{ format!("core {c}") }</text>
            </g>
        }
    };
    let lamp = |l: &Lamp| {
        let (x, y) = core_at(l.core);
        let (dx, lamp_w) = lamp_slot(l.hw, smt);
        let lx = x + dx;
        let ly = y + 28.0;
        let cx = (lx + lamp_w / 2.0).to_string();
        html! {
            <g class={classes!("die-lamp", l.now.then_some("now"), l.share.is_none().then_some("unused"))}
                data-cpu={l.cpu.to_string()}>
                <rect class="die-lamp-base" x={lx.to_string()} y={ly.to_string()} width={lamp_w.to_string()}
                    height={LAMP_H.to_string()} rx="4" />
                <rect class="die-lamp-light" x={lx.to_string()} y={ly.to_string()} width={lamp_w.to_string()}
                    height={LAMP_H.to_string()} rx="4" fill={thread_colour(l.cpu)}
                    fill-opacity={format!("{:.3}", l.level.clamp(0.0, 1.0))} />
                <text class="die-cpu" x={cx.clone()} y={(ly + LAMP_H + 17.0).to_string()} text-anchor="middle">
                    { format!("CPU {}", l.cpu) }
                </text>
                <text class="die-share" x={cx} y={(ly + LAMP_H + 35.0).to_string()} text-anchor="middle">
                    { percent(l.share) }
                </text>
            </g>
        }
    };
    let l3_y = PAD + cores_h;
    html! {
        <svg class="die" viewBox={format!("0 0 {width} {height}")} role="img"
            style={format!("max-width: {:.0}px", width * 1.5)} aria-label={summary.to_string()}>
            <title>{ summary }</title>
            <rect class="die-body" x="1" y="1" width={(width - 2.0).to_string()} height={(height - 2.0).to_string()} rx="10" />
            { for (0..cores).map(core) }
            { for lamps.iter().filter(|l| l.core < cores && l.hw < smt).map(lamp) }
            <rect class="die-l3" x={PAD.to_string()} y={l3_y.to_string()} width={(width - 2.0 * PAD).to_string()}
                height={(L3_H - 6.0).to_string()} rx="4" />
            <text class="die-l3-label" x={(width / 2.0).to_string()} y={(l3_y + 16.5).to_string()} text-anchor="middle">
                { match cols { 1 => "L3 cache", 2 | 3 => "shared L3 cache", _ => "shared L3 cache · memory controller" } }
            </text>
        </svg>
    }
}
