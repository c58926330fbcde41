//! The superscalar view's animation: the program listing and the cycle-by-cycle issue table
//! (rows = cycles, columns = execution units), with step / play / pause and a speed choice.

use parlab_model::cpu::superscalar::{Instr, Issued, Kind, Run, StallReason, UnitKind};
use yew::html::Scope;
use yew::prelude::*;

use super::ss_state::{GRID, PROGRAM, SPEEDS, SsSettings};
use super::{CpuLesson, Msg};
use crate::controls::{edit, on_select};
use crate::lessons::Host;

/// Column headers: ALU0.., FPU, LSU, BRU (a kind with one unit has no number).
fn columns(s: &SsSettings) -> Vec<(UnitKind, usize, String)> {
    let core = s.core();
    UnitKind::ALL
        .iter()
        .flat_map(|&k| {
            let n = core.unit(k).count;
            (0..n).map(move |i| {
                let name = if n > 1 { format!("{}{i}", k.name()) } else { k.name().to_string() };
                (k, i, name)
            })
        })
        .collect()
}

/// What a unit's short name stands for (the grid's column headers).
fn unit_long_name(k: UnitKind) -> &'static str {
    match k {
        UnitKind::Alu => "arithmetic-logic unit (integer)",
        UnitKind::Fpu => "floating-point unit",
        UnitKind::LoadStore => "load/store unit: memory reads and writes",
        UnitKind::Branch => "branch unit",
    }
}

fn mnemonic(i: &Instr) -> &'static str {
    match i.kind {
        Kind::IntAlu => "add",
        Kind::FpAlu => "fadd",
        Kind::Load => "load",
        Kind::Store => "store",
        Kind::Branch => "branch",
    }
}

fn stall_text(instr: usize, reason: StallReason, window: usize) -> String {
    match reason {
        StallReason::Dependency { on } => format!("#{instr} waits for #{on}'s result"),
        StallReason::NoFreeUnit(u) => format!("#{instr}: no free {}", u.name()),
        StallReason::WindowFull => format!("#{instr} outside the full {window}-entry window"),
        StallReason::SlotsTaken => format!("#{instr}: slots taken by the other thread"),
    }
}

pub fn view(
    s: &SsSettings,
    r: &Run,
    program: &[Instr],
    link: &Scope<Host<CpuLesson>>,
    playing: bool,
) -> Html {
    let last = r.log.len().saturating_sub(1);
    let now = s.cycle.min(last);
    let mut started: Vec<Option<Issued>> = vec![None; program.len()];
    for c in &r.log {
        for i in &c.issued {
            started[i.instr] = Some(*i);
        }
    }
    let start_cycle = |i: usize| r.log.iter().position(|c| c.issued.iter().any(|x| x.instr == i));
    let cols = columns(s);
    let step = |d: isize| {
        edit(link, move |st| {
            st.ss.cycle = (st.ss.cycle as isize + d).max(0) as usize;
        })
    };
    let on_speed = on_select(link, |st, v| st.ss.speed = v.parse().unwrap_or(4));
    let button = |testid: &'static str,
                  label: &'static str,
                  onclick: Callback<()>,
                  disabled: bool| {
        html! {
            <button data-testid={testid} onclick={onclick.reform(|_| ())} {disabled}>{ label }</button>
        }
    };
    html! {
        <>
            <div class="cpu-toolbar" role="group" aria-label="Animation">
                { button("reset", "« Start", edit(link, |st| st.ss.cycle = 0), now == 0) }
                { button("step-back", "◀ Back", step(-1), now == 0) }
                <button class="primary" data-testid="play" onclick={link.callback(|_| Msg::Play)} disabled={playing}>{ "▶ Play" }</button>
                <button data-testid="pause" onclick={link.callback(|_| Msg::Pause)} disabled={!playing}>{ "Pause" }</button>
                { button("step", "Step ▶", step(1), now >= last) }
                <label class="control inline">
                    <span>{ "Speed" }</span>
                    <select data-testid="speed" onchange={on_speed}>
                        { for SPEEDS.iter().map(|&v| html! {
                            <option value={v.to_string()} selected={v == s.speed}>{ format!("{v} cycle{}/s", if v == 1 { "" } else { "s" }) }</option>
                        }) }
                    </select>
                </label>
                <span class="cpu-cycle-now" aria-live="polite">{ format!("cycle {now} of {last}") }</span>
            </div>
            <div class="cpu-sim">
                <ol class="cpu-program" id={PROGRAM} data-testid="instr-list" aria-label="The program">
                    { for program.iter().enumerate().map(|(i, ins)| {
                        let at = start_cycle(i);
                        let (class, note) = match (at, started[i]) {
                            (Some(c), Some(x)) if c == now => ("now", format!("starts on {}", unit_name(&cols, &x))),
                            (Some(c), Some(x)) if c < now && x.done as usize > now => ("flight", format!("c{c}, result at c{}", x.done)),
                            (Some(c), _) if c < now => ("done", format!("c{c}")),
                            _ => ("", String::new()),
                        };
                        html! {
                            <li class={classes!(class)} title={ins.to_string()}>
                                <span class="num">{ format!("#{i}") }</span>
                                <code>{ ins.to_string() }</code>
                                <span class="when">{ note }</span>
                            </li>
                        }
                    }) }
                </ol>
                <div class="cpu-grid-wrap" id={GRID} tabindex="0" aria-label="Cycle by cycle issue table">
                    <table class="results cpu-grid" data-testid="cycle-grid" data-cycle={now.to_string()} data-cycles={r.cycles.to_string()}>
                        <caption>{ "Which instruction starts on which unit in each cycle (units are pipelined: each can start one per cycle)" }</caption>
                        <thead><tr>
                            <th scope="col">{ "Cycle" }</th>
                            { for cols.iter().map(|c| html! { <th scope="col"><abbr title={unit_long_name(c.0)}>{ &c.2 }</abbr></th> }) }
                            <th scope="col" class="left">{ "Waiting, and why" }</th>
                        </tr></thead>
                        <tbody>
                            { for r.log.iter().take(now + 1).map(|c| html! {
                                <tr class={classes!((c.cycle as usize == now).then_some("current"), c.issued.is_empty().then_some("idle"))}>
                                    <th scope="row">{ c.cycle }</th>
                                    { for cols.iter().map(|(k, slot, _)| {
                                        match c.issued.iter().find(|x| x.unit == *k && x.slot == *slot) {
                                            Some(x) => html! { <td class={classes!("busy", kind_class(*k))} title={program[x.instr].to_string()}>
                                                { format!("#{} {}", x.instr, mnemonic(&program[x.instr])) }</td> },
                                            None => html! { <td class="free">{ "·" }</td> },
                                        }
                                    }) }
                                    <td class="left stalls">{ c.stalls.iter().map(|st| stall_text(st.instr, st.reason, s.window)).collect::<Vec<_>>().join("; ") }</td>
                                </tr>
                            }) }
                            if now == last && (r.cycles as usize) > last + 1 {
                                <tr class="idle"><td colspan={(cols.len() + 2).to_string()} class="left">
                                    { format!("Cycles {}–{}: nothing left to start; waiting for the last results. Total {} cycles.",
                                        last + 1, r.cycles - 1, r.cycles) }
                                </td></tr>
                            }
                        </tbody>
                    </table>
                </div>
            </div>
        </>
    }
}

fn unit_name(cols: &[(UnitKind, usize, String)], x: &Issued) -> String {
    cols.iter().find(|c| c.0 == x.unit && c.1 == x.slot).map_or_else(String::new, |c| c.2.clone())
}

fn kind_class(k: UnitKind) -> &'static str {
    match k {
        UnitKind::Alu => "u-alu",
        UnitKind::Fpu => "u-fpu",
        UnitKind::LoadStore => "u-lsu",
        UnitKind::Branch => "u-bru",
    }
}
