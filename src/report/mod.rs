//! What a scan found, for people and for programs: the tally of events, the
//! summary table, the JSON summary. Shared by the headless runner and the
//! dashboard.

pub mod depth;
pub mod errors;
pub mod history;
pub mod json;
pub mod ncdu;
pub mod progress;
pub mod table;
pub mod tally;
pub mod text;
pub mod units;

pub use errors::{ERRORS_KEPT, ErrorLog, ErrorRecord};
pub use tally::{JobRecord, Tally, WorkerRecord};
