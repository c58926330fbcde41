//! Enum names in URLs from serde: `#[serde(rename_all = …)]` names a variant once, and
//! [`Named`] turns that into the URL name and the parser.

use serde::Serialize;

/// An enum whose URL names are its serde names (`#[serde(rename_all = …)]`), so names and
/// parsing are never written twice.
pub trait Named: Serialize + Copy + PartialEq + 'static {
    /// Every variant, in the order the UI offers them.
    const ALL: &'static [Self];

    /// The URL name.
    fn name(self) -> String {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(s)) => s,
            other => panic!("a Named enum serialises to a string, got {other:?}"),
        }
    }

    /// The variant called `s`.
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == s)
    }
}

/// The names of every variant of `T`.
pub fn names<T: Named>() -> Vec<String> {
    T::ALL.iter().map(|v| v.name()).collect()
}

impl Named for parlab_kernels::Size {
    const ALL: &'static [Self] = &parlab_kernels::Size::ALL;
}
impl Named for parlab_kernels::Workload {
    const ALL: &'static [Self] = &parlab_kernels::Workload::ALL;
}
impl Named for parlab_kernels::schedule::Schedule {
    const ALL: &'static [Self] =
        &[parlab_kernels::schedule::Schedule::Dynamic, parlab_kernels::schedule::Schedule::Static];
}
impl Named for parlab_kernels::simd::Kernel {
    const ALL: &'static [Self] = &parlab_kernels::simd::Kernel::ALL;
}
