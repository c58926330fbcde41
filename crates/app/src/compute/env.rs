//! Which execution mode this page can use, decided once at start-up, and why (in words for the
//! status bar and as a short key, [`Why`], for tests and lessons).
//!
//! - `threads`: the page is cross-origin isolated and has `SharedArrayBuffer`, so one compute
//!   worker owns a rayon pool whose Web Workers share one wasm memory.
//! - `workers`: no shared memory (not isolated, e.g. embedded in course notes without COOP/COEP;
//!   or isolated but without `SharedArrayBuffer`, as in WebKitGTK; or the pool did not start).
//!   Several workers, each with its own wasm instance and memory, get chunks by message
//!   passing: still real parallelism, with the messaging cost included in the timings.
//! - `single`: one worker, no parallelism (forced, or a pool of one).
//!
//! The pool size is `pool=` from the URL, else the number of threads the start-up probe measured
//! as useful (`super::probe`), else `navigator.hardwareConcurrency`.

use serde::{Deserialize, Serialize};

/// Upper bound on the pool size a URL may ask for.
pub const MAX_POOL: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Threads,
    Workers,
    Single,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Threads => "threads",
            Mode::Workers => "workers",
            Mode::Single => "single",
        }
    }

    pub fn parse(s: &str) -> Option<Mode> {
        [Mode::Threads, Mode::Workers, Mode::Single].into_iter().find(|m| m.name() == s)
    }
}

/// What the browser offers, read once.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Browser {
    pub cross_origin_isolated: bool,
    pub shared_array_buffer: bool,
    /// `navigator.hardwareConcurrency` (logical cores; some browsers clamp, randomise or
    /// inflate it).
    pub cores: usize,
    /// `isSecureContext`: browsers isolate only https:// (and localhost) pages.
    pub secure_context: bool,
    /// This document is `embed.html`, which the host should serve with
    /// `Document-Isolation-Policy`.
    pub embed_page: bool,
    /// The page runs inside a frame of another page (e.g. course notes).
    pub in_frame: bool,
    /// The browser applies `Document-Isolation-Policy` (Chromium ≥ 137, from its brands).
    pub dip_supported: bool,
    /// Whether the response for this document carried `Document-Isolation-Policy`, once a
    /// `HEAD` request has told (`None` until then, and when it was not asked).
    pub dip_header: Option<bool>,
}

impl Browser {
    /// A plain top-level page with these capabilities (the other facts false / unknown).
    #[cfg(test)]
    pub const fn new(cross_origin_isolated: bool, shared_array_buffer: bool, cores: usize) -> Self {
        Browser {
            cross_origin_isolated,
            shared_array_buffer,
            cores,
            secure_context: true,
            embed_page: false,
            in_frame: false,
            dip_supported: false,
            dip_header: None,
        }
    }

    /// Shared memory between workers is possible.
    pub fn can_share(&self) -> bool {
        self.cross_origin_isolated && self.shared_array_buffer
    }

    /// Why there is no shared memory here (`None` when there is).
    pub fn no_sharing(&self) -> Option<Why> {
        if self.can_share() {
            return None;
        }
        Some(if self.cross_origin_isolated {
            Why::NoSab
        } else if !self.secure_context {
            Why::Insecure
        } else if self.embed_page {
            // Before the HEAD request has answered, guess from what the browser supports: one
            // that applies the policy would have isolated the page had the host sent it.
            match self.dip_header {
                Some(true) => Why::DipIgnored,
                Some(false) => Why::DipNotSent,
                None if self.dip_supported => Why::DipNotSent,
                None => Why::DipIgnored,
            }
        } else {
            Why::NotIsolated
        })
    }
}

/// Why the page runs in its mode: `data-why` on the status bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Why {
    /// `threads`: cross-origin isolated, with `SharedArrayBuffer`.
    Isolated,
    /// `mode=` in the URL.
    Forced,
    /// A pool of one thread (`pool=1`, or one core measured / reported): `single`.
    PoolOfOne,
    /// Cross-origin isolated, but no `SharedArrayBuffer` (WebKitGTK on Linux).
    NoSab,
    /// Not cross-origin isolated (no COOP/COEP from the server, or a parent that is not
    /// isolated).
    NotIsolated,
    /// Not a secure context (plain http:// away from localhost): isolation is impossible.
    Insecure,
    /// `embed.html` without isolation: the host did not send `Document-Isolation-Policy`.
    DipNotSent,
    /// `embed.html` without isolation: the policy was sent, the browser does not apply it.
    DipIgnored,
    /// The shared-memory pool did not report ready in time (start-up watchdog).
    Watchdog,
    /// The shared-memory pool failed to start (an error).
    PoolFailed,
}

impl Why {
    /// The short key (`data-why`).
    pub fn key(self) -> &'static str {
        match self {
            Why::Isolated => "isolated",
            Why::Forced => "forced",
            Why::PoolOfOne => "pool-of-one",
            Why::NoSab => "no-sab",
            Why::NotIsolated => "not-isolated",
            Why::Insecure => "insecure",
            Why::DipNotSent => "dip-not-sent",
            Why::DipIgnored => "dip-ignored",
            Why::Watchdog => "watchdog",
            Why::PoolFailed => "pool-failed",
        }
    }

    /// Why shared memory is missing, in words (for the status bar and the lessons' notes);
    /// `None` for the reasons that are not about shared memory.
    pub fn no_shared_memory(self, browser: &Browser) -> Option<&'static str> {
        Some(match self {
            Why::NoSab => {
                "this page is cross-origin isolated, but this browser offers no \
                 SharedArrayBuffer (WebKitGTK on Linux; Safari on macOS and iOS has it)"
            }
            Why::NotIsolated if browser.in_frame => {
                "this page is not cross-origin isolated: the page that embeds it is not \
                 isolated itself or does not grant it allow=\"cross-origin-isolated\""
            }
            Why::NotIsolated => {
                "this page is not cross-origin isolated: the server sent no COOP/COEP headers"
            }
            Why::Insecure => {
                "this page is served over plain http:// (not localhost), and browsers isolate \
                 only secure pages"
            }
            Why::DipNotSent => {
                "this page is not cross-origin isolated: the host did not send \
                 Document-Isolation-Policy with embed.html"
            }
            Why::DipIgnored => {
                "this page is not cross-origin isolated: this browser ignores \
                 Document-Isolation-Policy (Chromium 137 and later apply it)"
            }
            Why::Isolated | Why::Forced | Why::PoolOfOne | Why::Watchdog | Why::PoolFailed => {
                return None;
            }
        })
    }
}

/// The chosen mode and pool size, with the reason in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub mode: Mode,
    pub pool: usize,
    pub reason: String,
    pub why: Why,
    /// Notes about URL values that were changed (shown to the user).
    pub notes: Vec<String>,
    /// What the browser said.
    pub browser: Browser,
    /// `mode=` from the URL.
    pub forced: Option<Mode>,
    /// `pool=` from the URL (it overrides the probe).
    pub pool_from_url: Option<usize>,
    /// Useful threads measured by the start-up probe (`None`: not measured, or not yet).
    pub measured: Option<usize>,
}

/// Decides the mode from the browser and the `mode=` / `pool=` URL overrides (already parsed
/// and clamped; `pool` is `None` when absent). The pool is the reported core count until
/// [`Plan::with_measured`] gives the probe's.
pub fn plan(browser: Browser, forced: Option<Mode>, pool: Option<usize>) -> Plan {
    decide(browser, forced, pool, None)
}

fn decide(
    browser: Browser,
    forced: Option<Mode>,
    url_pool: Option<usize>,
    measured: Option<usize>,
) -> Plan {
    let mut notes = Vec::new();
    let pool = url_pool.or(measured).unwrap_or(browser.cores).clamp(1, MAX_POOL);
    let no_sharing = browser.no_sharing();
    let one = if url_pool.is_none() && measured == Some(1) && browser.cores > 1 {
        "one useful thread measured: nothing to run in parallel"
    } else {
        "pool of one thread: nothing to run in parallel"
    };
    let (mode, why) = match (forced, no_sharing) {
        (Some(Mode::Threads), Some(why)) => {
            notes.push(format!(
                "mode=threads needs shared memory, and {}; using workers.",
                why.no_shared_memory(&browser).unwrap_or("there is none")
            ));
            (Mode::Workers, why)
        }
        (Some(Mode::Single), _) => (Mode::Single, Why::Forced),
        (_, _) if pool == 1 => (Mode::Single, Why::PoolOfOne),
        (Some(m), _) => (m, Why::Forced),
        (None, None) => (Mode::Threads, Why::Isolated),
        (None, Some(why)) => (Mode::Workers, why),
    };
    let reason = match why {
        Why::Isolated => {
            "cross-origin isolated: a rayon pool on Web Workers sharing one memory".to_string()
        }
        Why::Forced => format!("forced by mode={}", forced.map_or("", |m| m.name())),
        Why::PoolOfOne => one.to_string(),
        other => workers_reason(other.no_shared_memory(&browser).unwrap_or_default()),
    };
    Plan {
        mode,
        pool: if mode == Mode::Single { 1 } else { pool },
        reason,
        why,
        notes,
        browser,
        forced,
        pool_from_url: url_pool,
        measured,
    }
}

fn workers_reason(cause: &str) -> String {
    format!("{cause}, so separate workers exchange messages")
}

impl Plan {
    /// Whether the start-up probe should measure the useful thread count: the pool is not
    /// fixed by the URL or by `mode=single`, and more than one core is reported.
    pub fn wants_probe(&self) -> bool {
        self.pool_from_url.is_none()
            && self.forced != Some(Mode::Single)
            && self.browser.cores > 1
            && self.measured.is_none()
    }

    /// The plan again with the probe's count of useful threads (`pool=` still wins). Keeps
    /// the URL notes.
    pub fn with_measured(&self, measured: usize) -> Plan {
        let mut p = decide(self.browser, self.forced, self.pool_from_url, Some(measured.max(1)));
        p.notes = self.notes.clone();
        p
    }

    /// The plan again once the `HEAD` request has said whether `embed.html` came with
    /// `Document-Isolation-Policy` (only the reason can change).
    pub fn with_dip_header(&self, sent: bool) -> Plan {
        let browser = Browser { dip_header: Some(sent), ..self.browser };
        if matches!(self.why, Why::Watchdog | Why::PoolFailed) {
            return Plan { browser, ..self.clone() };
        }
        let mut p = decide(browser, self.forced, self.pool_from_url, self.measured);
        p.notes = self.notes.clone();
        p
    }

    /// The shared-memory pool did not start (`why` is [`Why::Watchdog`] or
    /// [`Why::PoolFailed`]; `detail` says what happened): separate workers instead.
    pub fn fall_back(&mut self, why: Why, detail: &str) {
        self.mode = Mode::Workers;
        self.why = why;
        self.reason = match why {
            Why::Watchdog => {
                workers_reason(&format!("the shared-memory pool did not start within {detail}"))
            }
            _ => workers_reason(&format!("the shared-memory pool could not start ({detail})")),
        };
        self.notes.push(match why {
            Why::Watchdog => {
                format!("The thread pool did not start within {detail}; using separate workers.")
            }
            _ => format!("The thread pool failed to start ({detail}); using separate workers."),
        });
    }
}

/// How long the shared-memory pool may take to report ready before the watchdog ends it:
/// 8 s, plus 0.5 s for each thread beyond 4 (each one instantiates the module), at most 20 s.
pub fn pool_watchdog_ms(pool: usize) -> u32 {
    (8_000 + 500 * pool.saturating_sub(4) as u32).min(20_000)
}

/// How long the pool may take from `pool_starting` (module instantiated, threads being
/// created) to ready before it is restarted once: 4 s, plus 0.25 s per thread, at most 10 s.
/// Normally this step takes 0.2–0.3 s for 2 threads; in about 1 of 30 cold loads of Firefox
/// 153 ESR a pool thread's `new Worker` never returns, and a restart starts cleanly.
pub fn pool_stall_ms(pool: usize) -> u32 {
    (4_000 + 250 * pool as u32).min(10_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISOLATED: Browser = Browser::new(true, true, 8);
    const PLAIN: Browser = Browser::new(false, false, 4);
    /// WebKitGTK 2.50: isolated, no SharedArrayBuffer, 4 cores reported.
    const WEBKITGTK: Browser = Browser::new(true, false, 4);

    #[test]
    fn modes() {
        assert_eq!(plan(ISOLATED, None, None).mode, Mode::Threads);
        assert_eq!(plan(ISOLATED, None, None).pool, 8);
        assert_eq!(plan(ISOLATED, None, None).why, Why::Isolated);
        assert_eq!(plan(PLAIN, None, None).mode, Mode::Workers);
        let p = plan(PLAIN, Some(Mode::Threads), Some(200));
        assert_eq!((p.mode, p.pool, p.notes.len()), (Mode::Workers, 64, 1));
        assert_eq!(plan(ISOLATED, None, Some(1)).mode, Mode::Single);
        assert_eq!(plan(ISOLATED, Some(Mode::Single), None).pool, 1);
        assert_eq!(plan(ISOLATED, Some(Mode::Workers), None).why, Why::Forced);
    }

    #[test]
    fn isolated_without_shared_array_buffer_never_says_not_isolated() {
        for forced in [None, Some(Mode::Threads)] {
            let p = plan(WEBKITGTK, forced, None);
            assert_eq!((p.mode, p.why, p.why.key()), (Mode::Workers, Why::NoSab, "no-sab"));
            assert!(p.reason.contains("SharedArrayBuffer"), "{}", p.reason);
            assert!(!p.reason.contains("not cross-origin isolated"), "{}", p.reason);
            assert!(p.notes.iter().all(|n| !n.contains("not cross-origin isolated")));
        }
        // Whatever the page is (embed.html, insecure, in a frame), isolation wins.
        let b = Browser { embed_page: true, in_frame: true, secure_context: false, ..WEBKITGTK };
        assert_eq!(plan(b, None, None).why, Why::NoSab);
    }

    #[test]
    fn not_isolated_names_the_cause() {
        let p = plan(PLAIN, None, None);
        assert_eq!(p.why, Why::NotIsolated);
        assert!(p.reason.contains("COOP/COEP"), "{}", p.reason);
        let framed = plan(Browser { in_frame: true, ..PLAIN }, None, None);
        assert!(framed.reason.contains("embeds it"), "{}", framed.reason);
        let insecure = plan(Browser { secure_context: false, ..PLAIN }, None, None);
        assert_eq!(insecure.why.key(), "insecure");
    }

    #[test]
    fn embed_page_tells_a_missing_policy_from_an_ignored_one() {
        let embed = Browser { embed_page: true, in_frame: true, ..PLAIN };
        // A browser that applies the policy would have isolated the page: the host did not send it.
        let chromium = Browser { dip_supported: true, ..embed };
        assert_eq!(plan(chromium, None, None).why, Why::DipNotSent);
        // One that does not apply it: ignored, until the HEAD request says otherwise.
        let p = plan(embed, None, None);
        assert_eq!(p.why, Why::DipIgnored);
        assert!(p.reason.contains("ignores Document-Isolation-Policy"), "{}", p.reason);
        let p = p.with_dip_header(false);
        assert_eq!((p.why.key(), p.mode), ("dip-not-sent", Mode::Workers));
        assert!(p.reason.contains("did not send"), "{}", p.reason);
        // Sent, and still not isolated: the browser ignored it.
        assert_eq!(plan(chromium, None, None).with_dip_header(true).why, Why::DipIgnored);
        // Isolated by the policy: threads.
        let isolated =
            Browser { embed_page: true, in_frame: true, dip_supported: true, ..ISOLATED };
        assert_eq!(plan(isolated, None, None).why, Why::Isolated);
    }

    #[test]
    fn the_measured_count_sets_the_pool_unless_the_url_does() {
        let p = plan(WEBKITGTK, None, None);
        assert!(p.wants_probe());
        let m = p.with_measured(2);
        assert_eq!((m.pool, m.measured, m.browser.cores, m.why), (2, Some(2), 4, Why::NoSab));
        assert!(!m.wants_probe());
        let url = plan(ISOLATED, None, Some(6));
        assert!(!url.wants_probe());
        assert_eq!(url.with_measured(2).pool, 6);
        let one = plan(ISOLATED, None, None).with_measured(1);
        assert_eq!((one.mode, one.pool, one.why), (Mode::Single, 1, Why::PoolOfOne));
        assert!(one.reason.contains("measured"), "{}", one.reason);
        assert!(!plan(ISOLATED, Some(Mode::Single), None).wants_probe());
        assert!(!plan(Browser::new(true, true, 1), None, None).wants_probe());
        let noted = plan(PLAIN, Some(Mode::Threads), None);
        assert_eq!(noted.with_measured(3).notes, noted.notes);
    }

    #[test]
    fn fall_back_says_why() {
        let mut p = plan(ISOLATED, None, None).with_measured(2);
        p.fall_back(Why::Watchdog, "8 s");
        assert_eq!((p.mode, p.pool, p.why.key()), (Mode::Workers, 2, "watchdog"));
        assert!(p.reason.contains("did not start within 8 s"), "{}", p.reason);
        assert_eq!(p.notes.len(), 1);
        // A late HEAD answer does not undo the fallback.
        assert_eq!(p.with_dip_header(false).why, Why::Watchdog);
        assert_eq!(pool_watchdog_ms(2), 8_000);
        assert_eq!(pool_watchdog_ms(8), 10_000);
        assert_eq!(pool_watchdog_ms(64), 20_000);
        assert_eq!(pool_stall_ms(2), 4_500);
        assert_eq!(pool_stall_ms(64), 10_000);
        // The restart deadline is always the shorter one.
        assert!((1..=256).all(|p| pool_stall_ms(p) < pool_watchdog_ms(p)));
    }
}
