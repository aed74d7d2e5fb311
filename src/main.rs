//! The `controlmap` command line: a thin layer over the library.
//!
//! Exit codes: 0 ok, 1 a data problem (bad file, unmatched names under `--strict`, ...),
//! 2 a usage problem (bad flags or values).

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use clap::Parser;

use controlmap::config::ErrorKind;
use controlmap::{output, read};

// Every human-readable line this binary prints goes through `terminal::lines`, so that no
// ESC, BEL, NUL or CR from a file reaches the terminal even where a message forgot to
// escape its data (names are escaped with `terminal::shown` where they are put in, which
// also covers line feeds). Shadowing the std macros keeps every print site unchanged;
// JSON output is printed with `std::println!` since serde already escapes controls.
macro_rules! print {
    ($($t:tt)*) => { std::print!("{}", controlmap::terminal::lines(&format!($($t)*))) };
}
macro_rules! eprintln {
    ($($t:tt)*) => { std::eprintln!("{}", controlmap::terminal::lines(&format!($($t)*))) };
}

/// Set by the first SIGINT, SIGTERM or SIGHUP: work stops at the next safe point and no
/// partial file is left.
static STOP: AtomicBool = AtomicBool::new(false);
/// The signal that set [`STOP`]; the exit code is 128 + it (130 INT, 143 TERM, 129 HUP).
static SIGNAL: AtomicI32 = AtomicI32::new(signal_hook::consts::SIGINT);

/// The exit code of a run stopped by a signal.
fn signal_exit() -> ExitCode {
    ExitCode::from((128 + SIGNAL.load(Ordering::Relaxed)) as u8)
}

/// Ctrl-C, `kill` and `timeout` (TERM) and a closed terminal (HUP) are handled alike: the
/// first stops the work after the frames in progress, the second exits at once, both
/// removing the temporary files. A thread rather than a signal handler, so that removing
/// files and printing are safe.
fn handle_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        for signal in signals.forever() {
            if STOP.swap(true, Ordering::Relaxed) {
                // A second signal: the user does not want to wait. Finished outputs are
                // complete; the temporary files of unfinished ones go.
                output::remove_temporaries();
                std::process::exit(128 + signal);
            }
            SIGNAL.store(signal, Ordering::Relaxed);
            let again = if signal == SIGINT {
                "Ctrl-C"
            } else {
                "a signal"
            };
            eprintln!("stopping after the frames in progress ({again} again to quit now)…");
        }
    });
}

// After the print macros, so that the command modules print through them too.
mod cli;

// Reading and preparing a map makes many small allocations (cells, names, rings, paths):
// mimalloc serves them ~15% faster than glibc's malloc over a whole `render` (bench/run.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::args::Cli::parse();
    read::set_max_input_bytes(cli.max_input_mb.saturating_mul(1 << 20));
    handle_signals();
    let Err(e) = cli::run::command(cli.command, &STOP) else {
        return ExitCode::SUCCESS;
    };
    // Error messages are one line each: a line feed in one comes from the data they quote,
    // and is shown escaped with the rest.
    let message = chain(&e);
    let text = controlmap::terminal::shown(&message);
    if e.kind == ErrorKind::Interrupted {
        eprintln!("{text}");
        return signal_exit();
    }
    eprintln!("error: {text}");
    ExitCode::from(if e.kind == ErrorKind::Usage { 2 } else { 1 })
}

/// An error and its causes, `a: b: c`; a cause whose text the message already ends with
/// (`file: No such file or directory` over the same I/O error) is not repeated.
fn chain(e: &controlmap::config::ConfigError) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.ends_with(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text
}
