//! Native tests of the lab's URL state: defaults, round trips and clamping notes.

use parlab_model::cpu::power::Chip;
use parlab_model::cpu::smt::SmtPreset;
use parlab_model::cpu::superscalar::{Issue, Preset};

use super::{Settings, Tab};
use crate::params::{Named, UrlState};
use crate::url::Query;

fn read(q: &str) -> (Settings, Vec<String>) {
    let mut notes = Vec::new();
    let s = Settings::read(&Query::parse(q), 2, &mut notes);
    (s, notes)
}

fn written(s: &Settings) -> Query {
    let mut q = Query::parse(&format!("view={}", s.tab.name()));
    s.power.write(&mut q);
    s.trends.write(&mut q);
    s.ss.write(&mut q);
    s.smt.write(&mut q);
    q
}

#[test]
fn defaults_are_the_banias_preset_and_round_trip() {
    let (s, notes) = read("");
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(s.tab, Tab::Power);
    assert_eq!((s.power.v, s.power.f, s.power.tdp), (1.484, 1600.0, 24.5));
    let chip = s.power.chip();
    assert!((chip.capacitance_f - Chip::banias().capacitance_f).abs() < 1e-15);
    assert_eq!(s.trends.shown, [true; 5]);
    assert_eq!((s.trends.from, s.trends.to), (2005, 2021));
    assert_eq!(s.ss.program, Preset::LoadLoop);
    assert_eq!(s.ss.core().issue, Issue::InOrder);
    assert_eq!(s.smt.preset, SmtPreset::Mixed);
    let q = "view=superscalar&v=1.200&f=900&c=30.000&alpha=0.20&cores=4&tdp=30.0&p=0.75\
             &series=transistors,cores&from=1990&to=2010&program=branchy&width=6&issue=ooo\
             &window=24&miss=50&alus=3&cycle=7&speed=8&smt=same&smt_miss=60";
    let (s, notes) = read(q);
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(s.ss.core().issue, Issue::OutOfOrder { window: 24 });
    assert_eq!(s.ss.core().alu.count, 3);
    assert_eq!(s.trends.shown, [true, false, false, false, true]);
    let (again, _) = read(&written(&s).to_string());
    assert_eq!(again, s);
    assert_eq!(written(&s).to_string(), q.replace(' ', ""));
}

#[test]
fn bad_values_are_clamped_with_notes() {
    let (mut s, mut notes) =
        read("view=x&v=9&cores=0&width=20&speed=5&series=bogus&from=2020&to=1990&cycle=99999");
    assert_eq!(s.tab, Tab::Power);
    assert_eq!(s.power.v, Chip::banias().v_max);
    assert_eq!(s.power.cores, 1);
    assert_eq!(s.ss.width, 8);
    assert_eq!(s.ss.speed, 4, "the nearest offered speed");
    assert_eq!(s.trends.shown, [false; 5]);
    assert_eq!((s.trends.from, s.trends.to), (1990, 2020));
    s.ss.normalize(&mut notes);
    assert_eq!(s.ss.cycle, s.ss.last_cycle());
    for key in
        ["view=x", "v=9", "cores=0", "width=20", "bogus", "from=2020", "cycle=99999", "speed=5"]
    {
        assert!(notes.iter().any(|n| n.contains(key)), "{key} in {notes:?}");
    }
}

#[test]
fn no_cycle_means_the_last_one_without_a_note() {
    let (mut s, _) = read("program=chain");
    let mut notes = Vec::new();
    s.ss.normalize(&mut notes);
    assert!(notes.is_empty());
    assert_eq!(s.ss.cycle, s.ss.run().log.len() - 1);
}

#[test]
fn die_view_keeps_its_replay_speed() {
    let (s, notes) = read("view=die&die_slow=100");
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!((s.tab, s.die.slow), (Tab::Die, 100));
    let mut q = Query::default();
    s.die.write(&mut q);
    assert_eq!(q.to_string(), "die_slow=100&die_cores=auto");
    assert_eq!(s.die.cores, None);
    let (s, notes) = read("view=die&die_slow=7&die_cores=999");
    assert_eq!(s.die.slow, crate::die::SLOW_DEFAULT);
    assert_eq!(s.die.cores, Some(64));
    for key in ["die_slow=7", "die_cores=999"] {
        assert!(notes.iter().any(|n| n.contains(key)), "{key} in {notes:?}");
    }
    let (s, notes) = read("die_cores=6");
    assert!(notes.is_empty());
    assert_eq!(s.die.cores, Some(6));
}
