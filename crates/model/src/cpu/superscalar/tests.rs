use super::*;

#[test]
fn display_reads_like_assembly() {
    assert_eq!(Instr::alu(3, &[3, 2]).to_string(), "add r3 ← r3, r2");
    assert_eq!(Instr::load_miss(2, 1).to_string(), "load r2 ← [r1] (miss)");
    assert_eq!(Instr::store(2, 1).to_string(), "store [r1] ← r2");
    assert_eq!(Instr::branch(&[6]).to_string(), "branch r6");
    assert_eq!(Instr::fp(1, &[1, 2]).to_string(), "fadd r1 ← r1, r2");
}

#[test]
fn latencies() {
    let core = Core::default();
    assert_eq!(core.latency(&Instr::load(1, 0)), 3);
    assert_eq!(core.latency(&Instr::load_miss(1, 0)), 30);
    assert_eq!(Core { miss_latency: 1, ..core }.latency(&Instr::load_miss(1, 0)), 3);
    let zero = Core { alu: Unit { count: 0, latency: 0 }, ..core };
    assert_eq!(zero.unit(UnitKind::Alu), Unit { count: 1, latency: 1 });
    for (i, u) in UnitKind::ALL.iter().enumerate() {
        assert_eq!(u.index(), i);
    }
}

fn ooo(window: usize) -> Issue {
    Issue::OutOfOrder { window }
}

#[test]
fn dependency_chain_runs_at_one_per_latency_at_any_width() {
    let program = dependency_chain(100);
    for issue in [Issue::InOrder, ooo(32)] {
        for width in 1..=8 {
            let core = Core::default().with_width(width).with_issue(issue);
            assert_eq!(run(&core, &program).cycles, 400);
            assert_eq!(run(&core, &program).ipc(), 0.25);
        }
    }
}

#[test]
fn independent_ops_reach_min_of_width_and_alus() {
    let program = independent(1000);
    for alus in 1..=4 {
        for width in 1..=8 {
            let core =
                Core { alu: Unit { count: alus, latency: 1 }, ..Core::default() }.with_width(width);
            let ipc = run(&core, &program).ipc();
            let bound = width.min(alus) as f64;
            assert!(ipc <= bound && ipc > 0.99 * bound, "width {width}, {alus} ALUs: {ipc}");
        }
    }
}

#[test]
fn out_of_order_beats_in_order_on_the_load_loop() {
    // Measured at width 4, default units: in order 119 cycles (IPC 0.54), window 8: 82
    // (0.78), window 32: 68 (0.94).
    let program = Preset::LoadLoop.program();
    let cycles = |issue| run(&Core::default().with_issue(issue), &program).cycles;
    assert_eq!((cycles(Issue::InOrder), cycles(ooo(8)), cycles(ooo(32))), (119, 82, 68));
}

#[test]
fn a_miss_fills_a_small_window() {
    let core = Core::default().with_issue(ooo(8));
    let r = run(&core, &load_loop(4, 2));
    let during_miss = &r.log[10];
    assert!(during_miss.issued.is_empty());
    assert!(during_miss.stalls.contains(&Stall {
        thread: 0,
        instr: 1,
        reason: StallReason::Dependency { on: 0 }
    }));
    assert!(during_miss.stalls.contains(&Stall {
        thread: 0,
        instr: 8,
        reason: StallReason::WindowFull
    }));
}

#[test]
fn in_order_stops_at_the_first_blocked_instruction() {
    let program = [Instr::load(2, 1), Instr::alu(3, &[2]), Instr::alu(4, &[0])];
    let r = run(&Core::default(), &program);
    assert_eq!(r.log[0].issued.len(), 1);
    assert_eq!(
        r.log[0].stalls,
        vec![Stall { thread: 0, instr: 1, reason: StallReason::Dependency { on: 0 } }]
    );
    let fp = [Instr::fp(1, &[0]), Instr::fp(2, &[0])];
    let r = run(&Core::default(), &fp);
    let unit = StallReason::NoFreeUnit(UnitKind::Fpu);
    assert_eq!(r.log[0].stalls, vec![Stall { thread: 0, instr: 1, reason: unit }]);
    assert_eq!(r.cycles, 5);
}

#[test]
fn log_records_units_and_completion() {
    let r = run(&Core::default(), &[Instr::alu(1, &[0]), Instr::alu(2, &[0]), Instr::load(3, 0)]);
    let slots: Vec<(UnitKind, usize, u64)> =
        r.log[0].issued.iter().map(|i| (i.unit, i.slot, i.done)).collect();
    assert_eq!(
        slots,
        vec![(UnitKind::Alu, 0, 1), (UnitKind::Alu, 1, 1), (UnitKind::LoadStore, 0, 3)]
    );
    assert_eq!((r.cycles, r.log.len()), (3, 1));
    assert_eq!(run(&Core::default(), &[]).ipc(), 0.0);
}

#[test]
fn presets_are_what_their_names_say() {
    let core = Core::default();
    assert_eq!(ilp(&core, &Preset::DependencyChain.program()), 0.25);
    assert_eq!(ilp(&core, &Preset::Independent.program()), 32.0);
    for p in Preset::ALL {
        assert!(!p.program().is_empty() && !p.name().is_empty());
    }
    assert_eq!(load_loop(8, 8).iter().filter(|i| i.miss).count(), 1);
    assert_eq!(load_loop(8, 0).iter().filter(|i| i.miss).count(), 0);
}

#[test]
fn greedy_out_of_order_has_width_anomalies() {
    // Found by the property test: oldest-first scheduling is not monotone in the width
    // (Graham's list-scheduling anomalies). At width 2 the fadd starts in cycle 0 instead of 3,
    // so load 4 is ready in cycle 4 and, being older, takes the only load/store unit from the
    // missing load 5, which is on the critical path: 35 cycles instead of 34.
    let program = [
        Instr::store(0, 0),
        Instr::load(1, 0),
        Instr::store(0, 0),
        Instr::fp(0, &[2, 2]),
        Instr::load(2, 0),
        Instr::load_miss(0, 1),
    ];
    let core = Core::default().with_issue(ooo(4));
    assert_eq!(run(&core.with_width(1), &program).cycles, 34);
    assert_eq!(run(&core.with_width(2), &program).cycles, 35);
}

#[cfg(not(target_arch = "wasm32"))]
fn arbitrary_program() -> impl proptest::strategy::Strategy<Value = Vec<Instr>> {
    use proptest::prelude::*;
    let instr = (0u8..5, 0u8..6, 0u8..6, 0u8..6, proptest::bool::weighted(0.2)).prop_map(
        |(k, d, a, b, miss)| match k {
            0 => Instr::alu(d, &[a, b]),
            1 => Instr::fp(d, &[a, b]),
            2 if miss => Instr::load_miss(d, a),
            2 => Instr::load(d, a),
            3 => Instr::store(a, b),
            _ => Instr::branch(&[a]),
        },
    );
    proptest::collection::vec(instr, 0..60)
}

#[cfg(not(target_arch = "wasm32"))]
proptest::proptest! {
    #[test]
    fn ipc_grows_with_width_and_stays_below_ilp(prog in arbitrary_program(), window in 1..40usize) {
        // Monotone in order (a wider cycle only ever starts an instruction earlier); out of
        // order only bounded, see `greedy_out_of_order_has_width_anomalies`.
        for issue in [Issue::InOrder, ooo(window)] {
            let core = Core::default().with_issue(issue);
            let bound = ilp(&core, &prog);
            let mut last = 0.0;
            for width in 1..=8 {
                let ipc = run(&core.with_width(width), &prog).ipc();
                let monotone = ipc >= last - 1e-12 || issue != Issue::InOrder;
                proptest::prop_assert!(monotone, "width {width}: {ipc} < {last}");
                proptest::prop_assert!(ipc <= bound + 1e-12, "{ipc} > ILP {bound}");
                last = ipc;
            }
        }
    }

    #[test]
    fn out_of_order_never_loses_to_in_order(prog in arbitrary_program(), width in 1..=8usize) {
        // With a window covering the program: the in-order model has no window at all, so a
        // small window can lose to it after a miss.
        let core = Core::default().with_width(width);
        let in_order = run(&core, &prog).cycles;
        let out_of_order = run(&core.with_issue(ooo(64)), &prog).cycles;
        proptest::prop_assert!(out_of_order <= in_order, "{out_of_order} > {in_order}");
    }

    #[test]
    fn starts_once_after_producers(prog in arbitrary_program(), w in 1..20usize) {
        let core = Core::default().with_issue(ooo(w));
        let r = run(&core, &prog);
        let mut start = vec![None; prog.len()];
        for c in &r.log {
            proptest::prop_assert!(c.issued.len() <= core.width);
            for i in &c.issued {
                proptest::prop_assert!(start[i.instr].is_none());
                proptest::prop_assert_eq!(i.done, c.cycle + core.latency(&prog[i.instr]) as u64);
                start[i.instr] = Some((c.cycle, i.done));
            }
        }
        for (j, ins) in prog.iter().enumerate() {
            let (t, _) = start[j].unwrap();
            for r in ins.sources() {
                if let Some(p) = (0..j).rev().find(|&p| prog[p].dest == Some(r)) {
                    proptest::prop_assert!(start[p].unwrap().1 <= t, "{j} before {p} is done");
                }
            }
        }
        proptest::prop_assert!(r.cycles >= critical_path(&core, &prog));
    }
}
