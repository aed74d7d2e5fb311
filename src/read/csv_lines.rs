//! Line numbers for CSV records, shared by the timeline reader and the join tables
//! ([`super::table`]): apart from both so that neither imports the other for it.

/// Physical line numbers of records. The csv crate's own count lags by one line after each
/// CRLF (it counts the `\n` as part of the next record), so lines are counted here from the
/// record's byte offset instead.
pub(crate) struct Lines<'a> {
    bytes: &'a [u8],
    /// Where counting stopped; records come in order, so counting resumes from here.
    offset: usize,
    /// The line at `offset`, 1-based.
    line: u64,
}

impl<'a> Lines<'a> {
    /// Counting from the start of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Lines<'a> {
        Lines {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The line on which a record starting at this position begins.
    pub(crate) fn of(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else {
            return self.line;
        };
        let mut start =
            usize::try_from(position.byte()).map_or(self.bytes.len(), |b| b.min(self.bytes.len()));
        // Line ends (and the blank lines the csv crate skips) before the record's first field.
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > self.offset {
            let newlines = self.bytes[self.offset..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.line += newlines as u64;
            self.offset = start;
        }
        self.line
    }
}
