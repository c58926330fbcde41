//! URL parameters, declared once.
//!
//! Every lesson lists its parameters in one table of [`Param`]s (key, default, range or
//! choices, one-line doc). Reading a query, writing it back, `docs/url-keys.md` and the E2E
//! URL specs (`docs/url-keys.json`) all come from those tables; `lessons::tests` fails when the
//! generated docs are stale or when a lesson writes a key it did not declare.
//!
//! Why not a derive: the readers differ in small ways (a thread list bounded by the pool, a
//! choice snapped to the nearest offered value), so a table of plain values plus typed readers
//! keeps each rule visible next to its key without a proc-macro crate.

use std::fmt::Display;

use crate::url::{self, Query};

#[cfg(test)]
pub mod docs;
mod named;

pub use named::{Named, names};

/// A bound of an integer range: a number, or the page's pool size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Lim {
    N(i64),
    /// The number of pool threads or workers (`pool=` or the measured default).
    Pool,
}

impl Lim {
    fn resolve(self, pool: usize) -> i64 {
        match self {
            Lim::N(n) => n,
            Lim::Pool => pool.max(1) as i64,
        }
    }

    #[cfg(test)]
    fn doc(self) -> String {
        match self {
            Lim::N(n) => n.to_string(),
            Lim::Pool => "pool".into(),
        }
    }
}

/// What values a parameter takes.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(test), allow(dead_code, reason = "the docs generator reads it"))]
pub enum Kind {
    /// A whole number in `min..=max`.
    Int(Lim, Lim),
    /// A decimal in `min..=max`, written with at most `decimals` decimals.
    Float(f64, f64, usize),
    /// `0` or `1`.
    Flag,
    /// One of a set of names (from the enum's serde names, see [`Named`]).
    Choice(fn() -> Vec<String>),
    /// Comma-separated whole numbers, each in `min..=max`.
    List(Lim, Lim),
    /// Anything else; `rule` says what is accepted (the lesson's reader enforces it).
    Custom(&'static str),
}

/// One URL parameter.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(test), allow(dead_code, reason = "the docs generator reads it"))]
pub struct Param {
    pub key: &'static str,
    /// The default as written in the URL; `pool` stands for the pool size and `1,2,4…pool` for
    /// the powers of two below it.
    pub default: &'static str,
    pub kind: Kind,
    /// One line for the docs.
    pub doc: &'static str,
    /// The default is computed (from the data, the model or the page), so `default` describes
    /// it rather than spelling it.
    pub derived: bool,
    /// An action (`run=1`): read once when the lesson opens, never written back.
    pub action: bool,
    /// CSS selector of the control(s) that set it, when not `[data-testid="<key>"]` (for
    /// `lock=` and `hide=`).
    pub control: Option<&'static str>,
}

impl Param {
    /// Marks the default as computed ([`Param::derived`]).
    pub const fn derived(self) -> Param {
        Param { derived: true, ..self }
    }

    /// Names the control(s) that set it ([`Param::control`]).
    pub const fn control(self, selector: &'static str) -> Param {
        Param { control: Some(selector), ..self }
    }

    /// The CSS selector of the control(s) that set this key.
    pub fn control_selector(&self) -> String {
        match self.control {
            Some(s) => s.to_string(),
            None => format!(":is(input, select, fieldset)[data-testid=\"{}\"]", self.key),
        }
    }

    /// Marks the key as an action ([`Param::action`]).
    pub const fn action(self) -> Param {
        Param { action: true, ..self }
    }
}

/// Integer parameter.
pub const fn int(
    key: &'static str,
    default: &'static str,
    min: Lim,
    max: Lim,
    doc: &'static str,
) -> Param {
    Param {
        key,
        default,
        kind: Kind::Int(min, max),
        doc,
        derived: false,
        action: false,
        control: None,
    }
}

/// Decimal parameter.
pub const fn float(
    key: &'static str,
    default: &'static str,
    (min, max, decimals): (f64, f64, usize),
    doc: &'static str,
) -> Param {
    Param {
        key,
        default,
        kind: Kind::Float(min, max, decimals),
        doc,
        derived: false,
        action: false,
        control: None,
    }
}

/// `0`/`1` parameter.
pub const fn flag(key: &'static str, default: &'static str, doc: &'static str) -> Param {
    Param { key, default, kind: Kind::Flag, doc, derived: false, action: false, control: None }
}

/// Parameter naming one variant of `T`.
pub const fn choice<T: Named>(
    key: &'static str,
    default: &'static str,
    doc: &'static str,
) -> Param {
    Param {
        key,
        default,
        kind: Kind::Choice(names::<T>),
        doc,
        derived: false,
        action: false,
        control: None,
    }
}

/// List-of-integers parameter.
pub const fn list(
    key: &'static str,
    default: &'static str,
    min: Lim,
    max: Lim,
    doc: &'static str,
) -> Param {
    Param {
        key,
        default,
        kind: Kind::List(min, max),
        doc,
        derived: false,
        action: false,
        control: None,
    }
}

/// Parameter with its own rule.
pub const fn custom(
    key: &'static str,
    default: &'static str,
    rule: &'static str,
    doc: &'static str,
) -> Param {
    Param {
        key,
        default,
        kind: Kind::Custom(rule),
        doc,
        derived: false,
        action: false,
        control: None,
    }
}

/// The powers of two below `pool`, and `pool` (the default thread list of a sweep).
pub fn powers_to(pool: usize) -> Vec<usize> {
    let pool = pool.max(1);
    let mut v: Vec<usize> =
        std::iter::successors(Some(1), |&t| Some(t * 2)).take_while(|&t| t < pool).collect();
    v.push(pool);
    v
}

impl Param {
    fn range(&self, min: Lim, max: Lim, pool: usize) -> std::ops::RangeInclusive<usize> {
        let lo = min.resolve(pool).max(0) as usize;
        lo..=(max.resolve(pool).max(lo as i64) as usize)
    }

    /// The default with `pool` resolved, as written in the URL.
    pub fn default_text(&self, pool: usize) -> String {
        let pool = pool.max(1);
        match self.default {
            "1,2,4…pool" => url::join(&powers_to(pool)),
            d => {
                let parts: Vec<String> = d
                    .split(',')
                    .map(|p| if p == "pool" { pool.to_string() } else { p.to_string() })
                    .collect();
                let mut nums: Vec<usize> = parts.iter().filter_map(|p| p.parse().ok()).collect();
                if matches!(self.kind, Kind::List(..)) && nums.len() == parts.len() {
                    nums.sort_unstable();
                    nums.dedup();
                    return url::join(&nums);
                }
                parts.join(",")
            }
        }
    }

    /// The raw value in `q`, if present.
    pub fn raw<'q>(&self, q: &'q Query) -> Option<&'q str> {
        q.get(self.key)
    }

    /// An [`Kind::Int`] (or `Custom` integer) value, clamped with a note.
    pub fn int(&self, q: &Query, pool: usize, notes: &mut Vec<String>) -> usize {
        let default = self.default_text(pool).parse().unwrap_or(0);
        let range = match self.kind {
            Kind::Int(min, max) => self.range(min, max, pool),
            _ => 0..=(i64::MAX as usize),
        };
        q.int(self.key, default, range, notes)
    }

    /// An integer with a range only known at run time (e.g. `hm_r` ≤ `hm_n`).
    pub fn int_in(
        &self,
        q: &Query,
        range: std::ops::RangeInclusive<usize>,
        notes: &mut Vec<String>,
    ) -> usize {
        let default = self.default.parse().unwrap_or(*range.start());
        q.int(self.key, default.clamp(*range.start(), *range.end()), range, notes)
    }

    /// A [`Kind::Float`] value, clamped with a note.
    pub fn float(&self, q: &Query, notes: &mut Vec<String>) -> f64 {
        let Kind::Float(min, max, _) = self.kind else { panic!("{} is not a float", self.key) };
        q.float(self.key, self.default.parse().unwrap_or(min), min..=max, notes)
    }

    /// A [`Kind::Float`] value whose exact default is computed (the table documents it
    /// rounded, as the URL writes it).
    pub fn float_or(&self, q: &Query, default: f64, notes: &mut Vec<String>) -> f64 {
        let Kind::Float(min, max, _) = self.kind else { panic!("{} is not a float", self.key) };
        q.float(self.key, default, min..=max, notes)
    }

    /// A [`Kind::Flag`] value.
    pub fn flag(&self, q: &Query, notes: &mut Vec<String>) -> bool {
        q.flag(self.key, self.default == "1", notes)
    }

    /// A [`Kind::Choice`] value.
    pub fn choice<T: Named>(&self, q: &Query, notes: &mut Vec<String>) -> T {
        let default = T::parse(self.default).unwrap_or(T::ALL[0]);
        q.choice(self.key, default, T::parse, notes)
    }

    /// A [`Kind::List`] value: sorted, deduplicated, each clamped, with a note.
    pub fn list(&self, q: &Query, pool: usize, notes: &mut Vec<String>) -> Vec<usize> {
        let Kind::List(min, max) = self.kind else { panic!("{} is not a list", self.key) };
        let default = self.default_text(pool).split(',').filter_map(|p| p.parse().ok()).collect();
        q.int_list(self.key, default, self.range(min, max, pool), notes)
    }

    /// Writes `value`.
    pub fn put(&self, q: &mut Query, value: impl Display) {
        q.set(self.key, value);
    }

    /// Writes a decimal with the declared number of decimals (no trailing zeros).
    pub fn put_float(&self, q: &mut Query, value: f64) {
        let decimals = match self.kind {
            Kind::Float(_, _, d) => d,
            _ => 6,
        };
        q.set(self.key, url::decimal(value, decimals));
    }

    /// Writes `0` or `1`.
    pub fn put_flag(&self, q: &mut Query, value: bool) {
        q.set(self.key, u8::from(value));
    }

    /// Writes a variant's name.
    pub fn put_choice<T: Named>(&self, q: &mut Query, value: T) {
        q.set(self.key, value.name());
    }

    /// Writes a list as `1,2,4`.
    pub fn put_list(&self, q: &mut Query, values: &[usize]) {
        q.set(self.key, url::join(values));
    }

    /// The accepted values, for the docs.
    #[cfg(test)]
    pub fn values_doc(&self) -> String {
        match self.kind {
            Kind::Int(a, b) => format!("{}–{}", a.doc(), b.doc()),
            Kind::Float(a, b, _) => format!("{}–{}", url::decimal(a, 6), url::decimal(b, 6)),
            Kind::Flag => "0, 1".into(),
            Kind::Choice(names) => names().join(", "),
            Kind::List(a, b) => format!("list of {}–{}", a.doc(), b.doc()),
            Kind::Custom(rule) => rule.into(),
        }
    }

    /// The kind's name, for the JSON specs.
    #[cfg(test)]
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            Kind::Int(..) => "int",
            Kind::Float(..) => "float",
            Kind::Flag => "flag",
            Kind::Choice(_) => "choice",
            Kind::List(..) => "list",
            Kind::Custom(_) => "custom",
        }
    }
}

/// Settings that live in the URL: read with clamping notes, written back after every edit.
pub trait UrlState: Clone + PartialEq + 'static {
    /// Every parameter [`UrlState::read`] reads and [`UrlState::write`] writes.
    fn params() -> Vec<Param>;
    /// Reads the settings; `pool` is the page's pool size; changed values are described in
    /// `notes`.
    fn read(q: &Query, pool: usize, notes: &mut Vec<String>) -> Self;
    /// Writes every parameter.
    fn write(&self, q: &mut Query);
}

/// `pool=K`: pool threads or workers to start.
pub const POOL: Param = int(
    "pool",
    "cores",
    Lim::N(1),
    Lim::N(64),
    "Pool threads or workers to start (overrides the browser's core count).",
)
.derived();

/// Keys every page understands (read by the shell, not by a lesson; listed for the docs).
#[cfg_attr(not(test), allow(dead_code))]
pub const GLOBAL: &[Param] = &[
    POOL,
    custom(
        "mode",
        "auto",
        "threads, workers, single",
        "Force an execution mode (threads needs a cross-origin isolated page).",
    ),
    flag("embed", "0", "1: the lesson alone, compact, for an iframe."),
    custom("theme", "auto", "auto, light, dark", "Colour scheme (overrides the system's)."),
    flag("sw", "1", "0: do not register the header-adding service worker."),
    flag("run", "0", "1: start the lesson's measured run once the workers are ready.").action(),
    crate::predict::ASK,
    custom(
        "section",
        "",
        "a part id of the lesson (listed under each lesson below)",
        "Show only this part of the lesson (for embedding).",
    ),
    custom(
        "lock",
        "",
        "comma list of the lesson's keys, or all",
        "Show these controls read-only (the page that embeds the lesson sets them).",
    ),
    custom("hide", "", "comma list of the lesson's keys, or all", "Hide these controls."),
    custom(
        "fault",
        "",
        "pool-hang, pool-stall, pool-fail, probe-hang",
        "For tests: inject a start-up fault (the watchdog and fallbacks must handle it).",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use parlab_kernels::Size;

    #[test]
    fn serde_names_round_trip() {
        assert_eq!(Size::Medium.name(), "medium");
        assert_eq!(<Size as Named>::parse("large"), Some(Size::Large));
        assert_eq!(<Size as Named>::parse("huge"), None);
        assert_eq!(names::<Size>(), ["small", "medium", "large"]);
    }

    #[test]
    fn defaults_resolve_the_pool() {
        let threads = list("threads", "1,pool", Lim::N(1), Lim::Pool, "");
        assert_eq!(threads.default_text(4), "1,4");
        assert_eq!(threads.default_text(1), "1");
        let sweep = list("threads", "1,2,4…pool", Lim::N(1), Lim::Pool, "");
        assert_eq!(sweep.default_text(6), "1,2,4,6");
        let mut notes = Vec::new();
        assert_eq!(sweep.list(&Query::parse("threads=0,9"), 4, &mut notes), vec![1, 4]);
        assert_eq!(notes.len(), 1);
    }
}
