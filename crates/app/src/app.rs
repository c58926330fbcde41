//! The shell: header, navigation from the lesson registry, the status bar, hash routing.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::components::Notes;
use crate::compute::env::{MAX_POOL, Why};
use crate::compute::{self, Compute, Mode, Status};
use crate::lessons::{self, LESSONS, LessonProps};
use crate::params;
use crate::share::{self, ShareBar};
use crate::url::{self, Route};

pub enum Msg {
    Theme(String),
    Resized,
    Route,
    Compute,
    DismissNotes,
}

pub struct App {
    route: Route,
    compute: Compute,
    notes: Vec<String>,
    cores: usize,
    coi: bool,
    embed: bool,
    /// `auto`, `light` or `dark`.
    theme: String,
    /// Counts hash changes; part of the lesson's key so a new URL re-mounts it.
    visits: u32,
    /// Bumped on window resizes (zooming, which changes devicePixelRatio, resizes too), so
    /// lessons redraw their canvases at the new size.
    layout: u32,
    _on_hash: Closure<dyn FnMut()>,
    _on_resize: Closure<dyn FnMut()>,
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let route = url::current();
        let mut notes = Vec::new();
        let q = &route.query;
        let pool =
            params::POOL.raw(q).map(|_| q.int(params::POOL.key, 1, 1..=MAX_POOL, &mut notes));
        let forced = q.choice("mode", None, |s| Mode::parse(s).map(Some), &mut notes);
        let embed = q.get("embed") == Some("1");
        let browser = compute::detect_browser();
        let plan = compute::env::plan(browser, forced, pool);
        notes.extend(plan.notes.iter().cloned());
        let compute = Compute::start(plan, ctx.link().callback(|_| Msg::Compute));
        let link = ctx.link().clone();
        let on_resize = Closure::<dyn FnMut()>::new(move || link.send_message(Msg::Resized));
        if let Some(w) = web_sys::window() {
            let _ =
                w.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref());
        }
        let link = ctx.link().clone();
        let on_hash = Closure::<dyn FnMut()>::new(move || link.send_message(Msg::Route));
        if let Some(w) = web_sys::window() {
            let _ =
                w.add_event_listener_with_callback("hashchange", on_hash.as_ref().unchecked_ref());
        }
        App {
            route,
            compute,
            notes,
            cores: browser.cores,
            coi: browser.cross_origin_isolated,
            embed,
            visits: 0,
            theme: share::theme_from_url(),
            _on_hash: on_hash,
            layout: 0,
            _on_resize: on_resize,
        }
    }

    fn update(&mut self, _ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Theme(t) => {
                share::apply_theme(&t);
                let mut route = url::current();
                route.query.set("theme", &t);
                url::replace(&route);
                self.theme = t;
                true
            }
            Msg::Resized => {
                self.layout += 1;
                true
            }
            Msg::Route => {
                // Lessons write their state with replaceState, which fires no hashchange: a
                // hashchange is the user (or a link) asking for another state, so the lesson
                // is mounted afresh from the new query.
                self.route = url::current();
                self.visits += 1;
                true
            }
            Msg::Compute => {
                for n in self.compute.plan().notes {
                    if !self.notes.contains(&n) {
                        self.notes.push(n);
                    }
                }
                true
            }
            Msg::DismissNotes => {
                self.notes.clear();
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let lesson = lessons::find(&self.route.path);
        let props = LessonProps {
            compute: self.compute.clone(),
            status: self.compute.status(),
            query: Rc::new(self.route.query.clone()),
            theme: self.theme.clone().into(),
            layout: self.layout,
        };
        let body = match lesson {
            Some(l) => {
                // The pool is part of the key: when the start-up probe changes it, the lesson is
                // created again so its thread lists default to the measured count.
                let key = format!("{}#{}#{}", l.route, self.visits, self.compute.plan().pool);
                html! { <div key={key}>{ (l.view)(props) }</div> }
            }
            None => html! {
                <section class="lesson">
                    <h1>{ "No such lesson" }</h1>
                    <p>{ format!("There is no lesson at #/{}. ", self.route.path) }<a href="#/">{ "See all lessons" }</a></p>
                </section>
            },
        };
        let notes = html! { <Notes notes={self.notes.clone()} on_dismiss={ctx.link().callback(|_| Msg::DismissNotes)} /> };
        if self.embed {
            return html! {
                <div class={classes!("shell", "embed")}>
                    { self.status_bar() }{ notes }
                    <main>{ body }</main>
                </div>
            };
        }
        html! {
            <div class="shell">
                <header class="top">
                    <a class="brand" href="#/">{ "parlab" }</a>
                    <span class="tagline">{ "serial vs parallel, measured in your browser" }</span>
                    <nav aria-label="Lessons">
                        { for LESSONS.iter().map(|l| {
                            let current = lesson.is_some_and(|c| c.route == l.route);
                            html! {
                                <a href={format!("#/{}", l.route)} title={l.summary}
                                    class={classes!(current.then_some("current"))}
                                    aria-current={current.then_some("page")}>{ l.title }</a>
                            }
                        }) }
                    </nav>
                </header>
                { self.status_bar() }
                { notes }
                <ShareBar title={lesson.map_or("parlab", |l| l.title)} theme={self.theme.clone()}
                    sections={lesson.map_or(&[][..], |l| l.sections)}
                    on_theme={ctx.link().callback(Msg::Theme)} />
                <main>{ body }</main>
                <footer>
                    { "parlab — measured numbers come from real runs on this device; model views say so. " }
                    { "Rust + WebAssembly, Yew, rayon." }
                </footer>
            </div>
        }
    }
}

impl App {
    fn status_bar(&self) -> Html {
        let plan = self.compute.plan();
        let status = self.compute.status();
        let probing = self.compute.probing();
        let (state, state_text) = match &status {
            Status::Starting if probing => ("starting", "measuring cores…".to_string()),
            Status::Starting => ("starting", "starting workers…".to_string()),
            Status::Ready => ("ready", "ready".to_string()),
            Status::Failed(e) => ("failed", format!("cannot run: {e}")),
        };
        let in_frame = web_sys::window().is_some_and(|w| share::in_frame(&w));
        let full_url = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .map(|h| {
                let hash = h.split_once('#').map_or(String::new(), |(_, x)| format!("#{x}"));
                format!(
                    "{}{}",
                    share::sibling(&h, "index.html"),
                    hash.replace("embed=1", "embed=0")
                )
            })
            .unwrap_or_default();
        // Document-Isolation-Policy is sent only with embed.html (web/_headers); whether the
        // host sent it there, the compute module asks the server.
        let dip = match (share::is_embed_page(), self.coi) {
            (false, _) => "not-sent",
            (true, true) => "isolated",
            (true, false) if plan.why == Why::DipNotSent => "not-sent",
            (true, false) => "ignored",
        };
        let pool_text = match plan.mode {
            Mode::Threads => format!("{} pool threads", plan.pool),
            Mode::Workers => format!("{} workers", plan.pool),
            Mode::Single => "1 worker".to_string(),
        };
        // Reported vs measured cores (the start-up probe; `pool=` in the URL skips it).
        let estimate = self.compute.estimate();
        let cores_text = match &estimate {
            Some(e) if e.machine_lab => {
                format!("reported {}, measured {} by the machine lab", self.cores, e.raw)
            }
            Some(e) if e.conclusive && e.raw < e.measured => {
                format!("reported {}, measured {} ({} kept)", self.cores, e.raw, e.measured)
            }
            Some(e) if e.conclusive => format!("reported {}, measured {}", self.cores, e.raw),
            Some(_) => format!("reported {}, probe inconclusive", self.cores),
            None if probing => format!("reported {}, measuring…", self.cores),
            None => format!("{} logical cores reported", self.cores),
        };
        let probe_title = estimate.as_ref().filter(|e| !e.machine_lab).map(|e| {
            let t: Vec<String> = e.throughput.iter().map(|(k, t)| format!("{k}: {t:.2}")).collect();
            format!(
                "Start-up probe: {} sweep(s), {:.0} ms. Best throughput in cores by threads: {}",
                e.sweeps,
                e.probe_ms,
                t.join(", ")
            )
        });
        html! {
            <div class={classes!("status", format!("mode-{}", plan.mode.name()))} data-testid="env"
                role="region" aria-label="How this page computes"
                data-mode={plan.mode.name()} data-pool={plan.pool.to_string()} data-coi={self.coi.to_string()}
                data-cores={self.cores.to_string()} data-ready={state} data-dip={dip} data-why={plan.why.key()}
                data-measured={estimate.as_ref().map(|e| e.raw.to_string())}
                data-measured-by={estimate.as_ref().map(|e| if e.machine_lab { "machine-lab" } else { "probe" })}
                data-ready-ms={self.compute.ready_ms().map(|t| format!("{t:.0}"))}>
                <span class="mode-badge">{ plan.mode.name() }</span>
                <span class="reason">{ &plan.reason }</span>
                <span class="facts" title={probe_title}>
                    { pool_text }{ " · " }{ cores_text }{ " · " }{ state_text }
                </span>
                if in_frame && dip == "isolated" {
                    <span class="full">{ "Isolated by Document-Isolation-Policy inside these notes." }</span>
                }
                if plan.why == Why::NoSab {
                    <span class="full">{ "Safari on macOS and iOS offers SharedArrayBuffer here and runs shared-memory threads." }</span>
                }
                if !self.coi {
                    if in_frame {
                        <a class="full" href={full_url} target="_blank" rel="noopener">{ "Open in a new tab for shared-memory threads ↗" }</a>
                    } else if plan.why == Why::NotIsolated {
                        <span class="full">{ "Shared-memory threads need COOP/COEP headers from the server (see the README)." }</span>
                    }
                }
            </div>
        }
    }
}
