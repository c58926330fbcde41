//! Results that travel: every measured lesson's downloads, in one versioned format
//! (`parlab-results` v1, `docs/results-format.md`), and what the compare view needs to read
//! them back.
//!
//! Why one module: each lesson used to write its own CSV and JSON with no word about the
//! machine, so two files could not be put side by side. Now a lesson only says what its rows
//! are ([`Results`]); the machine block, the settings, the date, the CSV and the parsing are
//! here. Everything but [`downloads`] (browser glue) is plain Rust, tested natively.

pub mod agent;
pub mod compare;
pub mod csv;
pub mod downloads;
pub mod record;
pub mod runs;
pub mod schema;

pub use downloads::Downloads;
pub use record::Record;
pub use schema::{Export, Machine, Results};
