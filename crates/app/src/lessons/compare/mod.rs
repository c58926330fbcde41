//! `#/compare`: several exported results side by side. The user drops or picks files the
//! lessons' Download JSON / CSV buttons saved (`parlab-results` v1); they are read in the page,
//! never uploaded. One class's speedup curves are overlaid on one plot, one line per machine
//! (and per series, e.g. GIL mode), and each file gets a table of its machine block and key
//! results. A file that is not an export gets its own message; nothing else stops.
//!
//! Why a lesson: the registry gives it a route, the navigation and the host's redraw rule. It
//! has no URL keys (files cannot travel in a URL) and no measured run.

mod plot;
mod view;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{Change, Ctx, Lesson};
use crate::export::Export;
use crate::export::compare::parse_file;
use crate::params::{Param, UrlState};
use crate::url::Query;

/// Files larger than this are refused (an export is a few KiB; a run with details, some 100).
const MAX_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

/// The compare view keeps nothing in the URL.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NoSettings;

impl UrlState for NoSettings {
    fn params() -> Vec<Param> {
        Vec::new()
    }
    fn read(_: &Query, _: usize, _: &mut Vec<String>) -> NoSettings {
        NoSettings
    }
    fn write(&self, _: &mut Query) {}
}

/// One file the user gave, as far as it has been read.
pub enum Loaded {
    Reading,
    Ok(Box<Export>),
    Bad(String),
    /// Removed by the user (kept in place so the indices of files still being read hold).
    Removed,
}

pub struct File {
    pub name: String,
    pub state: Loaded,
}

pub enum Msg {
    /// Files picked or dropped.
    Add(Vec<web_sys::File>),
    /// File `index` was read (its text, or why not).
    Read(usize, Result<String, String>),
    Class(String),
    Remove(usize),
    Clear,
    Drag(bool),
}

pub struct CompareLesson {
    settings: NoSettings,
    files: Vec<File>,
    /// The chosen class (`None`: the one most files hold).
    class: Option<String>,
    dragging: bool,
    plot: NodeRef,
}

impl CompareLesson {
    /// The exports that parsed, with their file indices.
    fn exports(&self) -> Vec<(usize, &Export)> {
        self.files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| match &f.state {
                Loaded::Ok(e) => Some((i, e.as_ref())),
                _ => None,
            })
            .collect()
    }

    fn read(&mut self, ctx: &Ctx<Self>, files: Vec<web_sys::File>) {
        for file in files {
            let index = self.files.len();
            let name = file.name();
            if file.size() > MAX_BYTES {
                let why = format!(
                    "{:.1} MiB is too large for a parlab export (at most 8 MiB)",
                    file.size() / 1048576.0
                );
                self.files.push(File { name, state: Loaded::Bad(why) });
                continue;
            }
            self.files.push(File { name, state: Loaded::Reading });
            let done = ctx.link().callback(move |text| Msg::Read(index, text));
            wasm_bindgen_futures::spawn_local(async move {
                let text = wasm_bindgen_futures::JsFuture::from(file.text())
                    .await
                    .map_err(|e| format!("the browser could not read it ({e:?})"))
                    .and_then(|v| v.as_string().ok_or_else(|| "it is not text".to_string()));
                done.emit(text);
            });
        }
    }
}

/// The files of a file input's or a drop's `FileList`.
fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

impl Lesson for CompareLesson {
    const ROUTE: &'static str = "compare";
    const TITLE: &'static str = "Compare results";
    const SUMMARY: &'static str = "Overlay results exported from several machines and browsers: speedup curves and machine tables";
    const USES_STATUS: bool = false;
    type Settings = NoSettings;
    type Msg = Msg;

    fn create(settings: NoSettings, _ctx: &Ctx<Self>) -> Self {
        CompareLesson {
            settings,
            files: Vec::new(),
            class: None,
            dragging: false,
            plot: NodeRef::default(),
        }
    }

    fn settings(&self) -> &NoSettings {
        &self.settings
    }

    fn update(&mut self, ctx: &Ctx<Self>, msg: Msg) -> Change {
        match msg {
            Msg::Add(files) => {
                self.dragging = false;
                self.read(ctx, files);
            }
            Msg::Read(i, text) => {
                let Some(f) = self.files.get_mut(i) else { return Change::None };
                if matches!(f.state, Loaded::Removed) {
                    return Change::None;
                }
                f.state = match text.and_then(|t| parse_file(&f.name, &t)) {
                    Ok(e) => Loaded::Ok(Box::new(e)),
                    Err(why) => Loaded::Bad(why),
                };
            }
            Msg::Class(c) => self.class = Some(c),
            Msg::Remove(i) => {
                if let Some(f) = self.files.get_mut(i) {
                    f.state = Loaded::Removed;
                }
            }
            Msg::Clear => {
                self.files.iter_mut().for_each(|f| f.state = Loaded::Removed);
                self.class = None;
            }
            Msg::Drag(on) => {
                if self.dragging == on {
                    return Change::None;
                }
                self.dragging = on;
                return Change::Progress;
            }
        }
        Change::Redraw
    }

    fn view(&self, ctx: &Ctx<Self>, notes: Html) -> Html {
        view::view(self, ctx, notes)
    }

    fn draw(&self, _ctx: &Ctx<Self>) {
        let exports = self.exports();
        if let Some(canvas) = self.plot.cast::<web_sys::HtmlCanvasElement>() {
            let c = view::chosen(self, &exports);
            plot::draw(&canvas, &c.curves);
        }
    }
}

/// The `FileList` of a drop event.
fn dropped(e: &DragEvent) -> Vec<web_sys::File> {
    files_of(e.data_transfer().and_then(|d| d.files()))
}

/// The `FileList` of a file input's change event.
fn picked(e: &Event) -> Vec<web_sys::File> {
    let input: Option<web_sys::HtmlInputElement> = e.target().and_then(|t| t.dyn_into().ok());
    let files = files_of(input.as_ref().and_then(|i| i.files()));
    // Let the same file be picked again (e.g. after it was removed).
    if let Some(i) = input {
        i.set_value("");
    }
    files
}
