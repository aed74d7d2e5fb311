//! Each command: its flags into the library's settings, the library's run, and the printing
//! (the library resolves, checks, reads, draws and writes; the binary only shows).

use std::io::IsTerminal;
use std::sync::atomic::AtomicBool;

use controlmap::config::commands::{self, RenderConfig, StatsConfig};
use controlmap::config::{ConfigError, Notice};
use controlmap::inspect::Inspection;
use controlmap::read;
use controlmap::series::Progress;
use controlmap::series::run::SeriesConfig;

use super::args::{CheckArgs, Command, InspectArgs};

/// Runs one command; `stop` is set by the first signal.
pub fn command(command: Command, stop: &AtomicBool) -> Result<(), ConfigError> {
    match command {
        Command::Render(args) => {
            let quiet = args.quiet;
            RenderConfig::resolve(&(*args).into())?.run(stop, &mut printer(quiet))
        }
        Command::Series(args) => {
            let quiet = args.quiet;
            let progress = if quiet {
                Progress::Quiet
            } else if std::io::stderr().is_terminal() {
                Progress::Bar
            } else {
                Progress::Lines
            };
            let config = SeriesConfig::resolve(&args.settings(progress))?;
            config.run(stop, &mut printer(quiet)).map(drop)
        }
        Command::Check(args) => check(*args),
        Command::Inspect(args) => inspect(&args),
        Command::Stats(args) => {
            let quiet = args.quiet;
            StatsConfig::resolve(&(*args).into())?
                .run(&mut printer(quiet))
                .map(drop)
        }
    }
}

/// Notices go to stderr, one line each, unless `--quiet`.
fn printer(quiet: bool) -> impl FnMut(Notice) {
    move |notice| {
        if !quiet {
            eprintln!("{notice}");
        }
    }
}

/// `controlmap check`: the inputs and their join, as text or JSON on stdout.
fn check(args: CheckArgs) -> Result<(), ConfigError> {
    let (config, report) = commands::check(&args.data.into())?;
    if args.json {
        let json = serde_json::to_string_pretty(&report)?;
        std::println!("{json}");
    } else {
        let report_path = config.settings().report.as_deref();
        print!("{}", report.text_with_report(report_path));
    }
    config.finish_join(&report.join)
}

/// `controlmap inspect`: the file described, as text or JSON.
fn inspect(args: &InspectArgs) -> Result<(), ConfigError> {
    let geometry = read::GeometryOptions {
        strict: false,
        source_crs: controlmap::config::source_crs(args.source_crs.as_deref())?,
    };
    let inspection = Inspection::new(&args.file, args.layer.as_deref(), &geometry)?;
    controlmap::config::read_notices(&inspection.notes, &args.file, &mut printer(false));
    if args.json {
        // Through a `Value`, whose objects sort their keys, as this output always has.
        let json = serde_json::to_value(&inspection)?;
        std::println!("{}", serde_json::to_string_pretty(&json)?);
    } else {
        print!("{}", inspection.text());
    }
    Ok(())
}
