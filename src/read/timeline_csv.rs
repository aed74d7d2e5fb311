//! The CSV timeline reader.

use std::path::Path;

use super::ReadError;
use crate::timeline::Timeline;

/// How to read `M/D/YYYY`-style dates when the data alone cannot tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DateFormat {
    /// `YYYY-MM-DD`.
    Iso,
    /// Month first: `6/20/2021`.
    Mdy,
    /// Day first: `20/6/2021`.
    Dmy,
}

/// Timeline reading options: column names (`None` = detect) and the date format.
#[derive(Debug, Clone, Default)]
pub struct TimelineOptions {
    /// `--id-column`.
    pub id_column: Option<String>,
    /// `--district-column`.
    pub district_column: Option<String>,
    /// `--province-column`.
    pub province_column: Option<String>,
    /// `--date-column`.
    pub date_column: Option<String>,
    /// `--status-column`.
    pub status_column: Option<String>,
    /// `--date-format`.
    pub date_format: Option<DateFormat>,
}

/// Reads a CSV timeline.
pub fn read_timeline(path: &Path, options: &TimelineOptions) -> Result<Timeline, ReadError> {
    todo!("{path:?}{options:?}")
}
