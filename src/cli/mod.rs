//! The command line over the library: [`args`] is what clap parses, [`run`] hands it to the
//! library and prints what comes back.

pub mod args;
pub mod run;
