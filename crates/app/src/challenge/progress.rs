//! Which levels this browser has solved, kept in `localStorage` under [`KEY`] so progress
//! survives a reload and is shared by every lesson of the site.
//!
//! The stored value is a JSON object from level id to the sentence that proved the win (so a
//! solved level still says what the learner measured). Anything unreadable — another
//! version's format, a hand edit — counts as no progress rather than an error: progress is a
//! convenience, never a reason for the page to fail.

use std::collections::BTreeMap;

use super::levels::{LEVELS, Level};

/// The `localStorage` key.
pub const KEY: &str = "parlab.challenges";

/// Solved level ids, each with its proof sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    solved: BTreeMap<String, String>,
}

impl Progress {
    /// Reads a stored value; unknown or malformed content is no progress.
    pub fn parse(raw: &str) -> Progress {
        let solved: BTreeMap<String, String> = serde_json::from_str(raw).unwrap_or_default();
        let known = |id: &String| LEVELS.iter().any(|l| l.id == id);
        Progress { solved: solved.into_iter().filter(|(id, _)| known(id)).collect() }
    }

    /// The value to store.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.solved).unwrap_or_else(|_| "{}".into())
    }

    /// The proof sentence of level `id`, if solved.
    pub fn proof(&self, id: &str) -> Option<&str> {
        self.solved.get(id).map(String::as_str)
    }

    /// Whether level `id` is solved.
    pub fn is_solved(&self, id: &str) -> bool {
        self.solved.contains_key(id)
    }

    /// Whether `level` is open: it is not gated, or the level before it in its lesson is solved
    /// (which, for a gated ladder, means every earlier one is).
    pub fn is_unlocked(&self, level: &Level) -> bool {
        let same_lesson = LEVELS.iter().filter(|l| l.lesson == level.lesson);
        let before = same_lesson.take_while(|l| l.id != level.id).last();
        !level.gated || before.is_none_or(|l| self.is_solved(l.id))
    }

    /// Solves every open, unsolved level of `lesson` that `history` wins, repeating while a
    /// win opens the next level (the same evidence may win it too). Returns the ids solved now.
    pub fn apply(&mut self, lesson: &str, history: &[super::Evidence]) -> Vec<&'static str> {
        let mut newly = Vec::new();
        loop {
            let next = LEVELS.iter().filter(|l| l.lesson == lesson).find_map(|l| {
                let open = !self.is_solved(l.id) && self.is_unlocked(l);
                open.then(|| (l.check)(history).map(|proof| (l.id, proof))).flatten()
            });
            let Some((id, proof)) = next else { return newly };
            self.solved.insert(id.to_string(), proof);
            newly.push(id);
        }
    }

    /// Forgets the levels of `lesson`.
    pub fn reset(&mut self, lesson: &str) {
        self.solved.retain(|id, _| !LEVELS.iter().any(|l| l.id == id && l.lesson == lesson));
    }

    /// (solved, total) over the levels of `lesson`, or of every lesson for `None`.
    pub fn count(&self, lesson: Option<&str>) -> (usize, usize) {
        let levels = LEVELS.iter().filter(|l| lesson.is_none_or(|r| l.lesson == r));
        levels.fold((0, 0), |(s, n), l| (s + usize::from(self.is_solved(l.id)), n + 1))
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// This browser's progress (none if storage is unavailable).
pub fn load() -> Progress {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .map_or_else(Progress::default, |raw| Progress::parse(&raw))
}

/// Stores `progress` (silently skipped where storage is unavailable, e.g. blocked).
pub fn save(progress: &Progress) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, &progress.to_json());
    }
}
