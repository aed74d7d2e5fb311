//! The `controlmap` command line: a thin layer over the library.
//!
//! Exit codes: 0 ok, 1 a data problem (bad file, unmatched names under `--strict`, ...),
//! 2 a usage problem (bad flags or values).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

use anyhow::{Context, anyhow};
use clap::{Args, Parser, Subcommand, ValueEnum};

use controlmap::join::{Ambiguous, JoinOptions};
use controlmap::map::Captured;
use controlmap::read::StyleFile;
use controlmap::read::{self, DateFormat, FieldOptions, TimelineOptions};
use controlmap::render::change::Since;
use controlmap::render::furniture::{LegendPosition, SizePreset};
use controlmap::render::zoom::Extent;
use controlmap::render::{RenderError, Style, Text, template};
use controlmap::series::animate::{AnimationError, AnimationFormat, Timing};
use controlmap::series::dates::{DateSelection, Step, Template};
use controlmap::series::{self, FileFormat, Progress, RunOptions};
use controlmap::stats::Stats;
use controlmap::status::{Categories, CategoryOptions, Color, StatusError, parse_assignment};
use controlmap::timeline::Date;
use controlmap::{Map, MapOptions, output, project};

// Every human-readable line this binary prints goes through `terminal::lines`, so that no
// ESC, BEL, NUL or CR from a file reaches the terminal even where a message forgot to
// escape its data (names are escaped with `terminal::shown` where they are put in, which
// also covers line feeds). Shadowing the std macros keeps every print site unchanged;
// JSON output is printed with `std::println!` since serde already escapes controls.
macro_rules! println {
    ($($t:tt)*) => { std::println!("{}", controlmap::terminal::lines(&format!($($t)*))) };
}
macro_rules! print {
    ($($t:tt)*) => { std::print!("{}", controlmap::terminal::lines(&format!($($t)*))) };
}
macro_rules! eprintln {
    ($($t:tt)*) => { std::eprintln!("{}", controlmap::terminal::lines(&format!($($t)*))) };
}

#[derive(Parser)]
#[command(
    name = "controlmap",
    version,
    about = "Territorial-control maps: district boundaries + a dated status timeline → SVG/PNG/PDF",
    after_help = "Exit codes: 0 ok, 1 data problem, 2 usage problem."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Refuse input files larger than this many megabytes (a guard against reading a stray
    /// huge file into memory).
    #[arg(long, global = true, value_name = "MB", default_value_t = read::DEFAULT_MAX_INPUT_BYTES >> 20)]
    max_input_mb: u64,
}

#[derive(Subcommand)]
enum Command {
    /// Render one map for one date.
    Render(Box<RenderArgs>),
    /// Render a map for many dates: files per date, an animation (GIF/APNG) or small
    /// multiples, with a manifest.
    Series(Box<SeriesArgs>),
    /// Check a boundary file and a timeline and how they join, without drawing: fields,
    /// geometry problems, dates, values, reversals, conflicts, and every match, ambiguity
    /// and unmatched name with suggestions.
    Check(Box<CheckArgs>),
    /// Describe a boundary file: format, layers, features, bbox, fields with sample values.
    Inspect(InspectArgs),
    /// Numbers for the story: districts and area per category on a date, nationally and per
    /// province (CSV or JSON).
    #[command(after_help = STATS_HELP)]
    Stats(Box<StatsArgs>),
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Print the report as JSON (documented in docs/check-json.md).
    #[arg(long, help_heading = "Output")]
    json: bool,
}

#[derive(Args)]
struct InspectArgs {
    /// Boundary file (GeoJSON, TopoJSON, Shapefile .shp).
    file: PathBuf,
    /// TopoJSON object to describe (default: the largest polygon object).
    #[arg(long)]
    layer: Option<String>,
    /// The file's coordinate reference system, overriding a .prj or a GeoJSON `crs` member
    /// (EPSG:NNNN or a PROJ string).
    #[arg(long, value_name = "CRS")]
    source_crs: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
#[command(next_help_heading = "Boundaries")]
struct BoundaryArgs {
    /// District boundaries: GeoJSON, TopoJSON or Shapefile (.shp with its .dbf); the format is
    /// detected from the content. GeoJSON and TopoJSON may come from a pipe, or stdin as `-`.
    #[arg(long, value_name = "FILE")]
    boundaries: PathBuf,
    /// TopoJSON object to draw (default: the largest polygon object).
    #[arg(long)]
    layer: Option<String>,
    /// Property holding the district id (default: detected, e.g. ADM2_PCODE, shapeID, GID_2).
    #[arg(long, value_name = "FIELD")]
    id_field: Option<String>,
    /// Property holding the district name (default: detected, e.g. ADM2_EN, shapeName, NAME).
    #[arg(long, value_name = "FIELD")]
    name_field: Option<String>,
    /// Property holding the province (default: detected, e.g. ADM1_EN, PROVINCE).
    #[arg(long, value_name = "FIELD")]
    province_field: Option<String>,
    /// The boundaries' coordinate reference system, overriding a .prj or a GeoJSON `crs`
    /// member: EPSG:NNNN (e.g. EPSG:32642, UTM 42N) or a PROJ string.
    #[arg(long, value_name = "CRS")]
    source_crs: Option<String>,
    /// Refuse rings that would be repaired or dropped (too few positions, no area, spikes,
    /// missing or repeated closing points) instead of warning about them.
    #[arg(long)]
    strict_geometry: bool,
}

#[derive(Args)]
#[command(next_help_heading = "Timeline")]
struct TimelineArgs {
    /// Status timeline: CSV (long: one row per district and date; wide: one column per date;
    /// no date = a snapshot) or JSON (records or GeoJSON-like features). Repeat to merge
    /// several files; a later file wins on the same district and date. `-` reads stdin.
    #[arg(long, value_name = "FILE", required = true)]
    status: Vec<PathBuf>,
    /// Column with district ids (P-codes) to join on.
    #[arg(long, value_name = "COLUMN")]
    id_column: Option<String>,
    /// Column with district names.
    #[arg(long, value_name = "COLUMN")]
    district_column: Option<String>,
    /// Column with province names.
    #[arg(long, value_name = "COLUMN")]
    province_column: Option<String>,
    /// Column with dates.
    #[arg(long, value_name = "COLUMN")]
    date_column: Option<String>,
    /// Column with status values.
    #[arg(long, value_name = "COLUMN")]
    status_column: Option<String>,
    /// Column saying where each row's information comes from (default: detected, e.g.
    /// `source`).
    #[arg(long, value_name = "COLUMN")]
    source_column: Option<String>,
    /// Column with a free-text note on each row (default: detected, e.g. `note`, `comment`).
    #[arg(long, value_name = "COLUMN")]
    note_column: Option<String>,
    /// How to read slashed dates when the data cannot tell (e.g. only 5/6/2021).
    #[arg(long, value_enum)]
    date_format: Option<DateFormat>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Svg,
    Png,
    /// Vector PDF, one page of the SVG's size (1 px = 1 pt), the bundled font embedded.
    Pdf,
    /// One self-contained interactive web page (tooltips; with --plain, the map alone).
    Html,
}

/// How raw status values become categories.
#[derive(Args)]
#[command(next_help_heading = "Categories")]
struct CategoryArgs {
    /// Category preset: lwj (taliban, contested, unconfirmed, government) or binary
    /// (taliban, no-report). Default lwj, or only the categories --map names.
    #[arg(long)]
    preset: Option<String>,
    /// Map a raw status value to a category, e.g. --map 1=taliban --map 0=no-report.
    #[arg(long = "map", value_name = "VALUE=CATEGORY")]
    maps: Vec<String>,
    /// A category's colour, e.g. --color taliban=#c0392b (also no-data).
    #[arg(long = "color", value_name = "CATEGORY=#RRGGBB")]
    colors: Vec<String>,
    /// A category's legend label, e.g. --label no-report="No report".
    #[arg(long = "label", value_name = "CATEGORY=TEXT")]
    labels: Vec<String>,
    /// A style file (TOML; see docs/style.md) or a shipped style by name: nyt, lwj. Every
    /// other option wins over it.
    #[arg(long, value_name = "FILE|NAME", help_heading = "Style")]
    style: Option<String>,
}

/// How timeline rows find their districts.
#[derive(Args)]
#[command(next_help_heading = "Join")]
struct JoinArgs {
    /// Names matching several districts: leave them as no data (none) or colour all (all).
    #[arg(long, value_enum, default_value = "none")]
    ambiguous: Ambiguous,
    /// Extra spellings: a CSV with alias,name[,province] (e.g.
    /// assets/aliases/afghanistan.csv). Tried when a name matches no district, or several;
    /// every use is in the report.
    #[arg(long, value_name = "FILE")]
    aliases: Option<PathBuf>,
    /// Match the names still unmatched by similarity (0.5–1; 0.9 recommended), one to one,
    /// within the province when both sides have one. Off by default; every fuzzy match is
    /// printed with its score.
    #[arg(long, value_name = "THRESHOLD")]
    fuzzy: Option<f64>,
    /// Re-key the timeline through a crosswalk CSV (old names or codes → the boundary set's
    /// ids or names); a district split later gives every successor its parent's status.
    #[arg(long, value_name = "FILE", requires_all = ["crosswalk_from", "crosswalk_to"])]
    crosswalk: Option<PathBuf>,
    /// Crosswalk column(s) holding the timeline's names or ids; several, comma-separated,
    /// are tried in order.
    #[arg(
        long,
        value_name = "COLUMN[,COLUMN...]",
        value_delimiter = ',',
        requires = "crosswalk"
    )]
    crosswalk_from: Vec<String>,
    /// Crosswalk column holding the boundary file's ids (or names).
    #[arg(long, value_name = "COLUMN", requires = "crosswalk")]
    crosswalk_to: Option<String>,
    /// Write the full join report (matched and how, unmatched both ways with suggestions,
    /// ambiguous) as JSON.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// Fail (exit 1, no output) when any name is unmatched or ambiguous, or rows conflict.
    #[arg(long)]
    strict: bool,
}

/// The inputs of a map: boundaries, timeline, categories and the join.
#[derive(Args)]
struct DataArgs {
    #[command(flatten)]
    boundaries: BoundaryArgs,
    #[command(flatten)]
    timeline: TimelineArgs,
    #[command(flatten)]
    categories: CategoryArgs,
    #[command(flatten)]
    join: JoinArgs,
}

/// Everything that makes the map, shared by `render` and `series`.
#[derive(Args)]
struct MapArgs {
    #[command(flatten)]
    data: DataArgs,
    /// Projection as a PROJ string (default: chosen for the data's extent: a Lambert conformal
    /// conic for one country, equal-area azimuthal near the equator, a pole or for a
    /// continent, Equal Earth for the world; +proj=longlat draws plain lon/lat).
    #[arg(long, value_name = "PROJ", help_heading = "Map")]
    proj: Option<String>,
    /// Fix the frame exactly: minlon,minlat,maxlon,maxlat (default: fit the data); across the
    /// antimeridian write the west edge first (170,50,-170,60).
    #[arg(
        long,
        value_name = "BBOX",
        allow_hyphen_values = true,
        help_heading = "Map"
    )]
    bbox: Option<String>,
    /// With --bbox, the legend counts every district of the map, not only those in the frame.
    #[arg(long, help_heading = "Map")]
    national_counts: bool,
    /// Province polygons to draw as province borders (default: dissolved from the districts'
    /// province field).
    #[arg(long, value_name = "FILE", help_heading = "Map")]
    provinces: Option<PathBuf>,
    /// TopoJSON object of --provinces (default: its largest polygon object), e.g.
    /// `provinces` in the 2021 takeover TopoJSON.
    #[arg(
        long,
        value_name = "NAME",
        help_heading = "Map",
        requires = "provinces"
    )]
    provinces_layer: Option<String>,
    /// Labelled points: CSV with name,lon,lat[,kind] (kind "capital" is emphasised).
    #[arg(long, value_name = "FILE", help_heading = "Map")]
    places: Option<PathBuf>,
    /// Places' states by date: CSV with place,date,state[,note,source] (states contested,
    /// besieged, entered, captured, or the style's [place_states.NAME]); a place's state on
    /// the map's date is its latest record on or before it. Needs --places.
    #[arg(long, value_name = "FILE", help_heading = "Map", requires = "places")]
    place_status: Option<PathBuf>,
    /// Callouts: CSV with text,place,lon,lat[,district,dx,dy,anchor,width,from,to], one
    /// text box with a leader line per row (also [[annotation]] in a style file).
    #[arg(long, value_name = "FILE", help_heading = "Map")]
    annotations: Option<PathBuf>,

    /// Title.
    #[arg(long, help_heading = "Text")]
    title: Option<String>,
    /// Subtitle.
    #[arg(long, help_heading = "Text")]
    subtitle: Option<String>,
    /// Source / credit line (default names the input files).
    #[arg(long, help_heading = "Text")]
    source: Option<String>,
    /// The date line; {date} becomes e.g. "June 20, 2021" [default: "As of {date}"]. Every
    /// text may use {date}, {date.iso}, {count.CATEGORY} and {label.CATEGORY}, expanded
    /// per date; {{ and }} are literal braces.
    #[arg(long, help_heading = "Text")]
    date_line: Option<String>,
    /// The map alone: no title, legend or source.
    #[arg(long, help_heading = "Text")]
    plain: bool,

    /// District border colour [default: #ffffff].
    #[arg(long, help_heading = "Style")]
    border_color: Option<String>,
    /// District border width (px) [default: 0.5].
    #[arg(long, help_heading = "Style")]
    border_width: Option<f32>,
    /// Province border colour [default: #4d4d4d].
    #[arg(long, help_heading = "Style")]
    province_color: Option<String>,
    /// Province border width (px; 0 hides them) [default: 1.2].
    #[arg(long, help_heading = "Style")]
    province_width: Option<f32>,
    /// Country outline colour [default: #333333].
    #[arg(long, help_heading = "Style")]
    outline_color: Option<String>,
    /// Country outline width (px; 0 hides it) [default: 1.6].
    #[arg(long, help_heading = "Style")]
    outline_width: Option<f32>,
    /// Background colour, or "none" for transparent [default: #ffffff].
    #[arg(long, help_heading = "Style")]
    background: Option<String>,
    /// Simplification tolerance in px (0 = none); shared borders stay shared, so no gaps
    /// [default: 0.05].
    #[arg(long, help_heading = "Style", value_name = "PX")]
    simplify: Option<f64>,
    /// Where the legend goes [default: top].
    #[arg(long, value_enum, help_heading = "Style")]
    legend_position: Option<LegendArg>,
    /// A named page size [default: web].
    #[arg(long, value_enum, help_heading = "Style")]
    size: Option<SizeArg>,
    /// Page width (px) [default: 1600].
    #[arg(long, help_heading = "Style")]
    width: Option<u32>,
    /// Page height (px) [default: 1200].
    #[arg(long, help_heading = "Style")]
    height: Option<u32>,
    /// Refuse images larger than this many output pixels.
    #[arg(long, help_heading = "Style", default_value_t = controlmap::render::MAX_PIXELS)]
    max_pixels: u64,
    /// Output pixels per page pixel (2 for high-DPI PNG) [default: 1].
    #[arg(long, help_heading = "Style")]
    scale: Option<f32>,
    /// Draw a scale bar (a round length in km, true at the map's centre), as `[scale_bar]
    /// show = true` in a style file does.
    #[arg(long, help_heading = "Style")]
    scale_bar: bool,

    /// Zoom on a region: province=NAME (any spelling the join knows) or
    /// district=NAME[,PROVINCE]. Neighbours are drawn faded and cut at the frame, the legend
    /// counts the region's districts, and a locator map shows where the region lies.
    #[arg(
        long,
        value_name = "KIND=NAME",
        help_heading = "Zoom and labels",
        conflicts_with = "bbox"
    )]
    extent: Option<String>,
    /// Draw the locator map (default: with --extent only), e.g. with --bbox.
    #[arg(long, help_heading = "Zoom and labels", conflicts_with = "no_locator")]
    locator: bool,
    /// No locator map with --extent.
    #[arg(long, help_heading = "Zoom and labels")]
    no_locator: bool,
    /// Label every district that has room, at its pole of inaccessibility (with --extent,
    /// the zoomed region's districts are labelled anyway).
    #[arg(
        long,
        help_heading = "Zoom and labels",
        conflicts_with = "no_district_labels"
    )]
    district_labels: bool,
    /// No district labels, not even for the zoomed region.
    #[arg(long, help_heading = "Zoom and labels")]
    no_district_labels: bool,
    /// Capitals (--places rows of kind `capital`) in a district of this category on the
    /// date are marked as captured; `none` turns the marking off (default: the first
    /// category).
    #[arg(long, value_name = "CATEGORY", help_heading = "Zoom and labels")]
    captured_category: Option<String>,
    /// The legend line of captured capitals: {label} (the category's label), {count}.
    #[arg(long, value_name = "TEMPLATE", help_heading = "Zoom and labels")]
    captured_label: Option<String>,

    /// Change map: hatch the districts whose category on the date differs from their
    /// category on this earlier date (YYYY-MM-DD), and count them in the legend. A district
    /// with no record on that date was no data then: one with a status now has changed.
    #[arg(long, value_name = "DATE", help_heading = "Change map")]
    since: Option<String>,
    /// Mark only the districts that moved into this category since --since.
    #[arg(
        long,
        value_name = "CATEGORY",
        help_heading = "Change map",
        requires = "since"
    )]
    since_only: Option<String>,
    /// The legend line of the marks: {date} (the --since date, e.g. "July 1, 2021"),
    /// {count}, {label} (the --since-only category's label). Default "Changed since {date}:
    /// {count}", or "Changed to {label} since {date}: {count}" with --since-only.
    #[arg(
        long,
        value_name = "TEMPLATE",
        help_heading = "Change map",
        requires = "since"
    )]
    since_label: Option<String>,
}

/// `--size`.
#[derive(Clone, Copy, ValueEnum)]
enum SizeArg {
    /// 1600×1200 px.
    Web,
    /// 1080×1080 px.
    Social,
    /// An 8×6 in page at 300 dpi: 2400×1800 px (laid out in points).
    Print,
}

/// `--legend-position`.
#[derive(Clone, Copy, ValueEnum)]
enum LegendArg {
    /// In rows above the map.
    Top,
    /// In rows below the map.
    Bottom,
    /// In a column left of the map.
    Left,
    /// In a column right of the map.
    Right,
}

#[derive(Args)]
struct RenderArgs {
    #[command(flatten)]
    map: MapArgs,
    /// The map's date (YYYY-MM-DD): each district shows its latest status on or before it.
    /// Optional for a snapshot (a timeline without dates).
    #[arg(long, help_heading = "Timeline")]
    date: Option<String>,

    /// Output file (.svg, .png or .pdf); "-" writes to standard output.
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    output: PathBuf,
    /// Output format (default: from the output's extension).
    #[arg(long, value_enum, help_heading = "Output")]
    format: Option<Format>,
    /// No summary on stderr.
    #[arg(short, long, help_heading = "Output")]
    quiet: bool,
}

#[derive(Args)]
struct SeriesArgs {
    #[command(flatten)]
    map: MapArgs,
    /// First date (default: the first record date).
    #[arg(long, help_heading = "Dates")]
    from: Option<String>,
    /// Last date, inclusive (default: the last record date).
    #[arg(long, help_heading = "Dates")]
    to: Option<String>,
    /// A frame every N days, weeks or months from --from: 1d, 2w, 1m.
    #[arg(
        long,
        value_name = "STEP",
        help_heading = "Dates",
        conflicts_with = "dates"
    )]
    every: Option<String>,
    /// Explicit dates (2021-05-11,2021-06-20) or `changes`: every date on which some
    /// district's status differs from the day before (within --from/--to).
    #[arg(long, value_name = "LIST", help_heading = "Dates")]
    dates: Option<String>,
    /// Refuse more frames than this.
    #[arg(long, default_value_t = controlmap::series::dates::MAX_FRAMES, help_heading = "Dates")]
    max_frames: usize,

    /// Output: a template for one file per date (frames/{date}.png, map-{index}.svg,
    /// {date}.pdf), or one file: .gif (animated), .png with --animate (APNG) or with --grid.
    #[arg(short, long, value_name = "TEMPLATE", help_heading = "Output")]
    output: String,
    /// Write one animated PNG (APNG) instead of a file per date.
    #[arg(long, help_heading = "Output")]
    animate: bool,
    /// Milliseconds per frame of an animation.
    #[arg(long, default_value_t = 700, help_heading = "Output")]
    frame_ms: u32,
    /// Milliseconds the last frame of an animation stays.
    #[arg(long, default_value_t = 2500, help_heading = "Output")]
    hold_ms: u32,
    /// Small multiples: all dates in one image, COLSxROWS panels (e.g. 4x2).
    #[arg(long, value_name = "COLSxROWS", help_heading = "Output")]
    grid: Option<String>,
    /// Write what each frame shows (file, counts per category, districts changed since the
    /// previous frame, each category's share of the area) as JSON, or CSV for a .csv name.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    manifest: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, default_value_t = 0, help_heading = "Run")]
    jobs: usize,
    /// Leave frames whose file already exists.
    #[arg(long, help_heading = "Run")]
    skip_existing: bool,
    /// Render only the frames whose index ≡ K (mod N), K from 0: split a long series across
    /// machines (a Kubernetes Indexed Job, a Slurm array, GNU parallel).
    #[arg(long, value_name = "K/N", help_heading = "Run")]
    shard: Option<String>,
    /// No summary or progress on stderr.
    #[arg(short, long, help_heading = "Run")]
    quiet: bool,
}

/// The columns of `controlmap stats`, for `--help` (kept in step with the README).
const STATS_HELP: &str = "\
CSV columns, one row per (scope, province, category), the national rows first:
  date        the --date (empty for a snapshot without one)
  scope       national | province
  province    the province as the boundary file spells it; empty on national rows;
              (none) for districts without a province
  category    category key, in legend order; no-data last (no record on the date,
              unjoined or ambiguous)
  label       the category's legend label
  districts   number of districts
  area_km2    their geodesic area on the WGS 84 ellipsoid, km² (from the lon/lat
              boundaries as read, not the projected or simplified map)
  area_share  area_km2 / the scope's area, 0-1; a scope's shares sum to 1
With --since DATE, three more columns: since, entered, left (the districts that
entered and left the category between DATE and --date; no record on DATE = no-data).
Numbers are written in full; round them for display. JSON holds the same, nested:
{date, national: {districts, area_km2, categories: [...]}, provinces: [...]}, and
with --since the lists of districts in each category's entered and left.";

#[derive(Clone, Copy, ValueEnum)]
enum StatsFormat {
    Csv,
    Json,
}

#[derive(Args)]
struct StatsArgs {
    #[command(flatten)]
    map: MapArgs,
    /// The date (YYYY-MM-DD): each district counts with its latest status on or before it.
    /// Optional for a snapshot (a timeline without dates).
    #[arg(long, help_heading = "Timeline")]
    date: Option<String>,

    /// Output file (default: standard output), written atomically.
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    output: Option<PathBuf>,
    /// Output format (default: json for a .json output, else csv).
    #[arg(long, value_enum, help_heading = "Output")]
    format: Option<StatsFormat>,
    /// No summary on stderr.
    #[arg(short, long, help_heading = "Output")]
    quiet: bool,
}

/// A failure and its exit code.
enum Failure {
    Usage(anyhow::Error),
    Data(anyhow::Error),
    Interrupted,
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure::Data(e.into())
    }
}

fn usage(e: impl Into<anyhow::Error>) -> Failure {
    Failure::Usage(e.into())
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    read::set_max_input_bytes(cli.max_input_mb.saturating_mul(1 << 20));
    handle_signals();
    let result = match cli.command {
        Command::Render(args) => render(*args),
        Command::Series(args) => series(*args),
        Command::Check(args) => check(&args),
        Command::Inspect(args) => inspect(&args),
        Command::Stats(args) => stats(*args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Error messages are one line each: a line feed in one comes from the data they
        // quote, and is shown escaped with the rest.
        Err(Failure::Usage(e)) => {
            eprintln!("error: {}", controlmap::terminal::shown(&format!("{e:#}")));
            ExitCode::from(2)
        }
        Err(Failure::Data(e)) => {
            if e.downcast_ref::<series::SeriesError>()
                .is_some_and(|e| matches!(e, series::SeriesError::Interrupted { .. }))
            {
                eprintln!("{}", controlmap::terminal::shown(&format!("{e:#}")));
                return signal_exit();
            }
            eprintln!("error: {}", controlmap::terminal::shown(&format!("{e:#}")));
            ExitCode::from(1)
        }
        Err(Failure::Interrupted) => {
            eprintln!("interrupted: nothing written");
            signal_exit()
        }
    }
}

fn color(flag: &str, text: &str) -> Result<Color, Failure> {
    Color::parse(text).map_err(|e| usage(anyhow!("--{flag}: {e}")))
}

/// The inputs read and the join configured, ready for a map or a check.
struct Inputs {
    boundaries: read::Boundaries,
    timeline: controlmap::timeline::Timeline,
    categories: Categories,
    join: JoinOptions,
}

/// A `--style` as read: what was given (a path or a shipped name) and the file.
type LoadedStyle = (String, StyleFile);

/// Reads `--style`, if given.
fn load_style(args: &CategoryArgs) -> Result<Option<LoadedStyle>, Failure> {
    let Some(given) = &args.style else {
        return Ok(None);
    };
    Ok(Some((given.clone(), read::load_style(given)?)))
}

/// Checks the category and join flags, refuses `outputs` that name an input (`extra` lists
/// inputs beyond the data files), and reads every input. The style file's categories come
/// before the flags.
fn read_inputs(
    args: &DataArgs,
    style: Option<&LoadedStyle>,
    extra: &[(&'static str, &Path)],
    outputs: &[(&str, &Path)],
) -> Result<Inputs, Failure> {
    let c = &args.categories;
    let assignments = |option: &'static str, list: &[String]| {
        list.iter()
            .map(|a| parse_assignment(option, a).map_err(usage))
            .collect::<Result<Vec<_>, _>>()
    };
    let colors = assignments("--color", &c.colors)?
        .into_iter()
        .map(|(k, v)| Ok((k, color("color", &v)?)))
        .collect::<Result<Vec<_>, Failure>>()?;
    let file = style.map(|(_, f)| f);
    let categories = Categories::from_options(&CategoryOptions {
        preset: c.preset.clone(),
        maps: assignments("--map", &c.maps)?,
        colors,
        labels: assignments("--label", &c.labels)?,
        style_preset: file.and_then(|f| f.categories.preset.clone()),
        styled: file
            .map(|f| f.categories.category.clone())
            .unwrap_or_default(),
        order: file
            .and_then(|f| f.legend.order.clone())
            .unwrap_or_default(),
    })
    .map_err(usage)?;
    let j = &args.join;
    if let Some(t) = j.fuzzy
        && !(0.5..=1.0).contains(&t)
    {
        return Err(usage(controlmap::join::JoinError::Threshold(t)));
    }

    let b = &args.boundaries;
    let t = &args.timeline;
    let mut inputs = named_inputs(args, extra);
    if let Some((given, _)) = style {
        inputs.push(("--style", Path::new(given)));
    }
    let outputs: Vec<(&str, &Path)> = outputs
        .iter()
        .copied()
        .chain(j.report.as_deref().map(|r| ("--report", r)))
        .collect();
    read::check_stdin_once(inputs.iter().copied()).map_err(|e| usage(anyhow!(e)))?;
    output::check_distinct(&outputs, &inputs).map_err(output_failure)?;
    for (_, out) in &outputs {
        output::check_writable(out).map_err(output_failure)?;
    }

    let geometry = read::GeometryOptions {
        strict: b.strict_geometry,
        source_crs: source_crs(b.source_crs.as_deref())?,
    };
    // The two files are independent: read them on two cores.
    let (boundaries, timeline) = rayon::join(
        || {
            read::read_boundaries(
                &b.boundaries,
                &FieldOptions {
                    id_field: b.id_field.clone(),
                    name_field: b.name_field.clone(),
                    province_field: b.province_field.clone(),
                    layer: b.layer.clone(),
                    geometry,
                },
            )
        },
        || {
            read::read_timelines(
                &t.status,
                &TimelineOptions {
                    id_column: t.id_column.clone(),
                    district_column: t.district_column.clone(),
                    province_column: t.province_column.clone(),
                    date_column: t.date_column.clone(),
                    status_column: t.status_column.clone(),
                    source_column: t.source_column.clone(),
                    note_column: t.note_column.clone(),
                    date_format: t.date_format,
                },
            )
        },
    );
    let aliases = j.aliases.as_deref().map(read::read_aliases).transpose()?;
    let crosswalk = match (&j.crosswalk, &j.crosswalk_to) {
        (Some(path), Some(to)) => Some(read::read_crosswalk(path, &j.crosswalk_from, to)?),
        _ => None,
    };
    Ok(Inputs {
        boundaries: boundaries?,
        timeline: timeline?,
        categories,
        join: JoinOptions {
            ambiguous: j.ambiguous,
            aliases,
            crosswalk,
            fuzzy: j.fuzzy,
        },
    })
}

/// Parses `--source-crs` (a usage error when it names no CRS).
fn source_crs(text: Option<&str>) -> Result<Option<read::SourceCrs>, Failure> {
    text.map(|t| {
        read::SourceCrs::parse(t, read::CrsOrigin::Flag)
            .map_err(|e| usage(anyhow!("--source-crs {e}")))
    })
    .transpose()
}

/// Prints what the boundary reader repaired or could not read: one line per feature, one
/// per attribute field.
fn warn_read_notes(notes: &read::ReadNotes, path: &Path) {
    for repair in &notes.repairs {
        let repair = repair.to_string();
        eprintln!(
            "warning: {}: {}",
            path.display(),
            controlmap::terminal::shown(&repair)
        );
    }
    for field in &notes.unreadable {
        let field = field.to_string();
        eprintln!(
            "warning: {} (the map does not use this field)",
            controlmap::terminal::shown(&field)
        );
    }
}

/// The data input files with the options naming them (`extra`: the map's own inputs).
fn named_inputs<'a>(
    args: &'a DataArgs,
    extra: &[(&'static str, &'a Path)],
) -> Vec<(&'static str, &'a Path)> {
    let j = &args.join;
    std::iter::once(("--boundaries", args.boundaries.boundaries.as_path()))
        .chain(j.aliases.as_deref().map(|p| ("--aliases", p)))
        .chain(j.crosswalk.as_deref().map(|p| ("--crosswalk", p)))
        .chain(
            args.timeline
                .status
                .iter()
                .map(|p| ("--status", p.as_path())),
        )
        .chain(extra.iter().copied())
        .collect()
}

/// The map's inputs beyond the data files.
fn map_inputs(args: &MapArgs) -> Vec<(&'static str, &Path)> {
    [
        args.provinces.as_deref().map(|p| ("--provinces", p)),
        args.places.as_deref().map(|p| ("--places", p)),
        args.place_status.as_deref().map(|p| ("--place-status", p)),
        args.annotations.as_deref().map(|p| ("--annotations", p)),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// An output that cannot be written is a data problem (exit 1); one that names an input,
/// another output or a device is a usage problem (exit 2).
fn output_failure(e: output::OutputError) -> Failure {
    match e {
        output::OutputError::Write { .. } => Failure::Data(e.into()),
        e => usage(e),
    }
}

/// Writes `--report` and enforces `--strict`.
fn finish_join(args: &JoinArgs, report: &controlmap::join::JoinReport) -> Result<(), Failure> {
    if let Some(path) = &args.report {
        let json = serde_json::to_vec_pretty(report).context("serialising the join report")?;
        output::write_atomic(path, &json)?;
    }
    if args.strict && report.has_problems() {
        return Err(Failure::Data(anyhow!(
            "--strict: the join has unmatched, ambiguous or conflicting rows (see above{}); no output written",
            if args.report.is_some() {
                " and the report"
            } else {
                ", or --report"
            }
        )));
    }
    Ok(())
}

/// `--since` must not be after the map's date (or a series' first frame); one before the
/// first record marks nothing, which is worth a warning.
fn check_since(
    map: &Map,
    args: &MapArgs,
    date: Date,
    what: &str,
    quiet: bool,
) -> Result<(), Failure> {
    let Some(since) = args.since.as_deref() else {
        return Ok(());
    };
    let since = parse_date("since", since)?;
    if map.timeline().dates().is_empty() {
        return Err(usage(anyhow!(
            "--since needs a timeline with dates; this one is a snapshot"
        )));
    }
    if since > date {
        return Err(usage(anyhow!(
            "--since {since} is after {what} ({date}): a change map compares with an earlier date"
        )));
    }
    if let Some(&first) = map.timeline().dates().first()
        && since < first
        && !quiet
    {
        eprintln!(
            "note: --since {since} is before the first record ({first}): every district is no data then, so each one with a status now counts as changed"
        );
    }
    Ok(())
}

/// Checks the map options, reads the inputs, joins and lays out the map, reports the join
/// (stderr, `--report`) and enforces `--strict`. `outputs` are refused if they name an input;
/// `dated` says a date will be printed even for a snapshot.
fn prepare(
    args: &MapArgs,
    quiet: bool,
    outputs: &[(&str, &Path)],
    dated: bool,
    needs_date: bool,
) -> Result<Map, Failure> {
    let bbox = args
        .bbox
        .as_deref()
        .map(project::parse_bbox)
        .transpose()
        .map_err(usage)?;
    if let Some(p) = &args.proj {
        project::Projection::parse(p).map_err(usage)?;
    }
    let extent = args
        .extent
        .as_deref()
        .map(str::parse::<Extent>)
        .transpose()
        .map_err(usage)?;
    let since = args
        .since
        .as_deref()
        .map(|d| parse_date("since", d))
        .transpose()?
        .map(|date| Since {
            date,
            only: args.since_only.clone(),
            label: args.since_label.clone(),
        });
    let captured = match args.captured_category.as_deref() {
        None => Captured::FirstCategory,
        Some(k) if k.eq_ignore_ascii_case("none") => Captured::Off,
        Some(k) => Captured::Category(k.to_string()),
    };
    let loaded = load_style(&args.data.categories)?;
    let file = loaded.as_ref().map(|(_, f)| f);
    // Built-in defaults, then the style file, then the flags.
    let mut style = Style::default();
    if let Some(f) = file {
        controlmap::render::styling::apply(f, &mut style);
    }
    if let Some(size) = args.size {
        let preset = match size {
            SizeArg::Web => SizePreset::Web,
            SizeArg::Social => SizePreset::Social,
            SizeArg::Print => SizePreset::Print,
        };
        (style.width, style.height, style.scale) = preset.page();
        style.type_floor = preset.type_floor();
    }
    if let Some(simplify) = args.simplify {
        // Range-checked with the whole style by `check_size` below.
        style.simplify = simplify;
    }
    if let Some(b) = args.background.as_deref() {
        style.background = match b {
            "none" | "transparent" => None,
            c => Some(color("background", c)?),
        };
    }
    for (flag, given, target) in [
        ("border-color", &args.border_color, &mut style.border_color),
        (
            "province-color",
            &args.province_color,
            &mut style.province_color,
        ),
        (
            "outline-color",
            &args.outline_color,
            &mut style.outline_color,
        ),
    ] {
        if let Some(c) = given {
            *target = color(flag, c)?;
        }
    }
    for (given, target) in [
        (args.border_width, &mut style.border_width),
        (args.province_width, &mut style.province_width),
        (args.outline_width, &mut style.outline_width),
        (args.scale, &mut style.scale),
    ] {
        if let Some(v) = given {
            *target = v;
        }
    }
    for (given, target) in [
        (args.width, &mut style.width),
        (args.height, &mut style.height),
    ] {
        if let Some(v) = given {
            *target = v;
        }
    }
    if let Some(position) = args.legend_position {
        style.legend.position = match position {
            LegendArg::Top => LegendPosition::Top,
            LegendArg::Bottom => LegendPosition::Bottom,
            LegendArg::Left => LegendPosition::Left,
            LegendArg::Right => LegendPosition::Right,
        };
    }
    style.plain |= args.plain;
    style.legend.national_counts |= args.national_counts;
    style.scale_bar |= args.scale_bar;
    style.max_pixels = args.max_pixels;
    for (flag, text) in [
        ("title", &args.title),
        ("subtitle", &args.subtitle),
        ("source", &args.source),
        ("date-line", &args.date_line),
    ] {
        if let Some(t) = text {
            template::check(t).map_err(|e| usage(anyhow!("--{flag}: {e}")))?;
        }
    }
    for (flag, text, allowed) in [
        (
            "captured-label",
            &args.captured_label,
            &["label", "count"][..],
        ),
        (
            "since-label",
            &args.since_label,
            &["date", "count", "label"][..],
        ),
    ] {
        if let Some(t) = text {
            template::check_label(t, allowed).map_err(|e| usage(anyhow!("--{flag}: {e}")))?;
        }
    }
    controlmap::render::check_size(&style).map_err(usage)?;
    let extra = map_inputs(args);
    let inputs = read_inputs(&args.data, loaded.as_ref(), &extra, outputs)?;
    if !quiet {
        warn_read_notes(&inputs.boundaries.notes, &inputs.boundaries.path);
    }
    if needs_date {
        // A missing --date is found as soon as the timeline is read, before the join.
        timeline_date(&inputs.timeline, None, args)?;
    }
    let provinces = args
        .provinces
        .as_deref()
        .map(|p| read::read_layer(p, args.provinces_layer.as_deref()))
        .transpose()?
        .map(|l| l.features.into_iter().map(|f| f.geometry).collect());
    let places = args
        .places
        .as_deref()
        .map(read::read_places)
        .transpose()?
        .unwrap_or_default();
    // File names go into the default source line as text, not as placeholders.
    let file_name = |p: &Path| {
        p.file_name()
            .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into())
            .replace('{', "{{")
            .replace('}', "}}")
    };
    let text = texts(args, file, &inputs.categories)?;
    let options = MapOptions {
        join: inputs.join,
        projection: args.proj.clone(),
        bbox,
        style,
        text: Text {
            title: text.title.unwrap_or_else(|| "District control".into()),
            subtitle: text.subtitle.filter(|s| !s.is_empty()),
            source: Some(text.source.unwrap_or_else(|| {
                format!(
                    "Data: {}. Boundaries: {}.",
                    args.data
                        .timeline
                        .status
                        .iter()
                        .map(|p| file_name(p))
                        .collect::<Vec<_>>()
                        .join(", "),
                    file_name(&args.data.boundaries.boundaries)
                )
            }))
            .filter(|s| !s.is_empty()),
            date_line: (dated || !inputs.timeline.dates().is_empty())
                .then(|| text.date_line.unwrap_or_else(|| "As of {date}".into()))
                .filter(|d| !d.is_empty()),
        },
        provinces,
        places,
        extent,
        locator: match (args.locator, args.no_locator) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        district_labels: match (args.district_labels, args.no_district_labels) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        since,
        captured,
        captured_label: args.captured_label.clone(),
        place_status: args
            .place_status
            .as_deref()
            .map(|p| read::read_place_status(p, args.data.timeline.date_format))
            .transpose()?,
        annotations: {
            let date_format = args.data.timeline.date_format;
            let mut all = match (&loaded, file) {
                (Some((given, _)), Some(f)) => {
                    read::annotations::style_annotations(Path::new(given), &f.annotation)?
                }
                _ => Vec::new(),
            };
            if let Some(p) = &args.annotations {
                all.extend(read::read_annotations(p, date_format)?);
            }
            all
        },
    };
    let map = Map::new(
        inputs.boundaries,
        inputs.timeline,
        inputs.categories,
        &options,
    )
    .map_err(|e| match e {
        // A region or category the options name but the data does not have.
        controlmap::Error::Render(RenderError::Extent(_))
        | controlmap::Error::Status(StatusError::UnknownCategory { .. }) => usage(e),
        e => e.into(),
    })?;

    let report = map.join_report();
    if !quiet {
        eprintln!("{}", report.summary());
        let mut unlabelled = map.scene().unlabelled_places();
        if args.extent.is_some() {
            // A zoom leaves most places outside its frame on purpose.
            let off = map.scene().places_off_the_map();
            unlabelled.retain(|p| !off.iter().any(|o| o == p));
        }
        if !unlabelled.is_empty() {
            eprintln!(
                "warning: {} place label(s) not drawn (no room without overlapping, or off the map): {}",
                unlabelled.len(),
                unlabelled.join(", ")
            );
        }
        if let Some(path) = &args.places {
            place_warnings(&map, path);
        }
        for w in map.scene().annotation_warnings() {
            eprintln!("warning: {}", controlmap::terminal::shown(w));
        }
        for overflow in map.scene().text_overflows() {
            eprintln!("warning: {overflow}; it runs off the page");
        }
        let (drawn, dropped) = map.scene().district_label_counts();
        if drawn + dropped > 0 {
            eprintln!(
                "district labels: {drawn} drawn, {dropped} dropped (no room without overlapping, or would leave the frame)"
            );
        }
    }
    finish_join(&args.data.join, report)?;
    Ok(map)
}

/// Prints how places were bound to their districts when it is worth knowing (bound by
/// position, or the dot in another district than the named one); at most
/// [`PLACE_WARNINGS`] lines, then how many more.
fn place_warnings(map: &Map, path: &Path) {
    let warnings = &map.place_bindings().warnings;
    for w in warnings.iter().take(PLACE_WARNINGS) {
        let place = &map.places()[w.place];
        eprintln!(
            "warning: {}: line {}, place `{}`: {}",
            path.display(),
            place.line,
            controlmap::terminal::shown(&place.name),
            w.message
        );
    }
    if warnings.len() > PLACE_WARNINGS {
        eprintln!(
            "  … and {} more place warning(s)",
            warnings.len() - PLACE_WARNINGS
        );
    }
}

/// How many place-binding warnings are printed in full.
const PLACE_WARNINGS: usize = 20;

/// The texts a flag or the style file gives; `None` where neither does.
struct GivenText {
    title: Option<String>,
    subtitle: Option<String>,
    source: Option<String>,
    date_line: Option<String>,
}

/// The texts the flags or the style file give (a flag wins), each checked against the map's
/// categories: a placeholder naming a category the map does not have is an error that
/// names the flag, or the file and the key.
fn texts(
    args: &MapArgs,
    file: Option<&StyleFile>,
    categories: &Categories,
) -> Result<GivenText, Failure> {
    let keys: Vec<&str> = categories
        .list
        .iter()
        .chain([&categories.no_data])
        .map(|c| c.key.as_str())
        .collect();
    let style_path = args.data.categories.style.as_deref().unwrap_or_default();
    let from_file = file.map(|f| &f.text);
    let pick = |flag: &str, key: &str, given: &Option<String>, filed: Option<&String>| match (
        given, filed,
    ) {
        (Some(t), _) => template::check_keys(t, &keys)
            .map(|()| Some(t.clone()))
            .map_err(|e| usage(anyhow!("--{flag}: {e}"))),
        (None, Some(t)) => template::check_keys(t, &keys)
            .map(|()| Some(t.clone()))
            .map_err(|e| Failure::Data(anyhow!("{style_path}: text.{key}: {e}"))),
        (None, None) => Ok(None),
    };
    Ok(GivenText {
        title: pick(
            "title",
            "title",
            &args.title,
            from_file.and_then(|t| t.title.as_ref()),
        )?,
        subtitle: pick(
            "subtitle",
            "subtitle",
            &args.subtitle,
            from_file.and_then(|t| t.subtitle.as_ref()),
        )?,
        source: pick(
            "source",
            "source",
            &args.source,
            from_file.and_then(|t| t.source.as_ref()),
        )?,
        date_line: pick(
            "date-line",
            "date_line",
            &args.date_line,
            from_file.and_then(|t| t.date_line.as_ref()),
        )?,
    })
}

/// `controlmap check`: the inputs and their join, as text or JSON on stdout.
fn check(args: &CheckArgs) -> Result<(), Failure> {
    let style = load_style(&args.data.categories)?;
    let inputs = read_inputs(&args.data, style.as_ref(), &[], &[])?;
    let record_categories = inputs.categories.classify_timeline(&inputs.timeline)?;
    let join = controlmap::join::Join::new(
        &inputs.boundaries,
        &inputs.timeline,
        &record_categories,
        &inputs.join,
    )?;
    let report = controlmap::check::Check::new(
        &inputs.boundaries,
        &inputs.timeline,
        &inputs.categories,
        &record_categories,
        &join,
    );
    if args.json {
        std::println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!(
            "{}",
            report.text_with_report(args.data.join.report.as_deref())
        );
    }
    finish_join(&args.data.join, &report.join)
}

fn parse_date(flag: &str, text: &str) -> Result<Date, Failure> {
    Date::parse_iso(text)
        .ok_or_else(|| usage(anyhow!("--{flag} `{text}`: expected a date as YYYY-MM-DD")))
}

fn counts_line(map: &Map, date: Date) -> String {
    map.counts(date)
        .iter()
        .filter(|(k, n)| *n > 0 || k != "no-data")
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The date to draw: `--date`, or for a snapshot (a timeline without dates) any date.
fn map_date(map: &Map, date: Option<Date>, args: &MapArgs) -> Result<Date, Failure> {
    timeline_date(map.timeline(), date, args)
}

/// The date to draw: `--date`, or for a snapshot any; a timeline with dates needs `--date`.
fn timeline_date(
    timeline: &controlmap::timeline::Timeline,
    date: Option<Date>,
    args: &MapArgs,
) -> Result<Date, Failure> {
    let dates = timeline.dates();
    match (date, dates.first().zip(dates.last())) {
        (Some(d), _) => Ok(d),
        (None, Some((first, last))) => Err(usage(anyhow!(
            "--date is required: {} has dates from {first} to {last}",
            args.data
                .timeline
                .status
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" + "),
        ))),
        // A snapshot holds for every date: any date draws it.
        (None, None) => Ok(Date::SNAPSHOT),
    }
}

fn render(args: RenderArgs) -> Result<(), Failure> {
    // Everything the flags alone decide is checked before any file is read.
    let format = match (
        args.format,
        args.output.extension().and_then(|e| e.to_str()),
    ) {
        (Some(f), _) => f,
        (None, Some(e)) if e.eq_ignore_ascii_case("svg") => Format::Svg,
        (None, Some(e)) if e.eq_ignore_ascii_case("png") => Format::Png,
        (None, Some(e)) if e.eq_ignore_ascii_case("pdf") => Format::Pdf,
        (None, Some(e)) if e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm") => {
            Format::Html
        }
        _ => {
            return Err(usage(anyhow!(
                "cannot tell the output format of `{}`: use a .svg, .png, .pdf or .html name, or --format",
                args.output.display()
            )));
        }
    };
    let date = args
        .date
        .as_deref()
        .map(|d| parse_date("date", d))
        .transpose()?;
    let map = prepare(
        &args.map,
        args.quiet,
        &[("-o", &args.output)],
        date.is_some(),
        date.is_none(),
    )?;
    let dates = map.timeline().dates();
    let date = map_date(&map, date, &args.map)?;
    check_since(&map, &args.map, date, "--date", args.quiet)?;
    if !args.quiet && dates.first().is_some_and(|&first| date < first) {
        eprintln!(
            "warning: {date} is before the first record ({}): every district is no data",
            dates[0]
        );
    }
    let bytes = match format {
        Format::Svg => map.render_svg(date).into_bytes(),
        Format::Png => map.render_png(date)?,
        Format::Pdf => map.render_pdf(date)?,
        Format::Html => controlmap::render::html::page(&map, &[date])?.into_bytes(),
    };
    if STOP.load(Ordering::Relaxed) {
        return Err(Failure::Interrupted);
    }
    output::write_atomic(&args.output, &bytes)?;
    if !args.quiet {
        let when = if dates.is_empty() {
            "snapshot".to_string()
        } else {
            date.to_string()
        };
        eprintln!(
            "{when}: {} → {} ({} KB)",
            counts_line(&map, date),
            args.output.display(),
            bytes.len().div_ceil(1024)
        );
    }
    Ok(())
}

fn stats(args: StatsArgs) -> Result<(), Failure> {
    let output = args.output.as_deref().unwrap_or(Path::new("-"));
    let json_name = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let format = match (args.format, json_name) {
        (Some(f), _) => f,
        (None, true) => StatsFormat::Json,
        (None, false) => StatsFormat::Csv,
    };
    let date = args
        .date
        .as_deref()
        .map(|d| parse_date("date", d))
        .transpose()?;
    let map = prepare(
        &args.map,
        args.quiet,
        &[("-o", output)],
        date.is_some(),
        date.is_none(),
    )?;
    let date = map_date(&map, date, &args.map)?;
    let snapshot = map.timeline().dates().is_empty();
    check_since(&map, &args.map, date, "--date", args.quiet)?;
    let since = args
        .map
        .since
        .as_deref()
        .map(|d| parse_date("since", d))
        .transpose()?;
    let stats = Stats::with_since(&map, (!snapshot).then_some(date), since);
    let bytes = match format {
        StatsFormat::Csv => {
            let mut bytes = Vec::new();
            stats.write_csv(&mut bytes).context("writing the CSV")?;
            bytes
        }
        StatsFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(&stats).context("serialising the stats")?;
            bytes.push(b'\n');
            bytes
        }
    };
    output::write_atomic(output, &bytes)?;
    if !args.quiet {
        let n = &stats.national;
        let shares: Vec<String> = n
            .categories
            .iter()
            .filter(|c| c.districts > 0 || c.category != "no-data")
            .map(|c| {
                format!(
                    "{} {} ({:.1}% of area)",
                    c.category,
                    c.districts,
                    100.0 * c.area_share
                )
            })
            .collect();
        eprintln!(
            "{}: {} districts, {:.0} km²: {}",
            stats
                .date
                .map_or_else(|| "snapshot".to_string(), |d| d.to_string()),
            n.districts,
            n.area_km2,
            shares.join(", ")
        );
        if let Some(since) = stats.since {
            let moves: Vec<String> = n
                .categories
                .iter()
                .map(|c| {
                    let len = |l: &Option<Vec<_>>| l.as_ref().map_or(0, Vec::len);
                    format!("{} +{} -{}", c.category, len(&c.entered), len(&c.left))
                })
                .collect();
            eprintln!("since {since}: {}", moves.join(", "));
        }
        let orphans = stats.districts_without_province();
        if orphans > 0 {
            eprintln!(
                "note: {orphans} district(s) have no province; their rows are under province `{}`",
                controlmap::stats::NO_PROVINCE
            );
        }
    }
    Ok(())
}

/// What a series writes.
enum SeriesOutput {
    Files(Template, FileFormat),
    Animation(AnimationFormat),
    Grid(usize, usize),
    /// One interactive web page with a slider over the dates.
    Page,
}

fn series(args: SeriesArgs) -> Result<(), Failure> {
    let extension = Path::new(&args.output)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let kind = match (&args.grid, args.animate, extension.as_str()) {
        (Some(grid), false, "png" | "svg") => {
            let (c, r) = grid
                .split_once('x')
                .and_then(|(c, r)| Some((c.parse::<usize>().ok()?, r.parse::<usize>().ok()?)))
                // The panel count must fit: 4294967296x4294967296 would wrap to 0 panels.
                .filter(|(c, r)| *c > 0 && *r > 0 && c.checked_mul(*r).is_some_and(|n| n <= 10_000))
                .ok_or_else(|| {
                    usage(anyhow!(
                        "--grid `{grid}`: expected COLSxROWS, e.g. 4x2, with at most 10000 panels"
                    ))
                })?;
            SeriesOutput::Grid(c, r)
        }
        (None, false, "gif") => SeriesOutput::Animation(AnimationFormat::Gif),
        (None, true, "png") => SeriesOutput::Animation(AnimationFormat::Apng),
        (None, false, "png") => SeriesOutput::Files(Template::new(&args.output), FileFormat::Png),
        (None, false, "svg") => SeriesOutput::Files(Template::new(&args.output), FileFormat::Svg),
        (None, false, "pdf") => SeriesOutput::Files(Template::new(&args.output), FileFormat::Pdf),
        (None, false, "html" | "htm") => SeriesOutput::Page,
        _ => {
            return Err(usage(anyhow!(
                "-o `{}`: expected a file template ending in .png, .svg or .pdf, a .gif, a .png with --animate, a .png/.svg with --grid, or an .html page",
                args.output
            )));
        }
    };
    let shard = args
        .shard
        .as_deref()
        .map(|s| {
            s.split_once('/')
                .and_then(|(k, n)| Some((k.parse::<usize>().ok()?, n.parse::<usize>().ok()?)))
                .filter(|(k, n)| *n > 0 && k < n)
                .ok_or_else(|| usage(anyhow!("--shard `{s}`: expected K/N with 0 ≤ K < N")))
        })
        .transpose()?;
    if shard.is_some() && !matches!(kind, SeriesOutput::Files(..)) {
        return Err(usage(anyhow!(
            "--shard splits a series of files; an animation or a grid is one file"
        )));
    }
    let from = args
        .from
        .as_deref()
        .map(|d| parse_date("from", d))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|d| parse_date("to", d))
        .transpose()?;
    let step = args
        .every
        .as_deref()
        .map(str::parse::<Step>)
        .transpose()
        .map_err(usage)?;
    let listed = args
        .dates
        .as_deref()
        .map(DateSelection::parse_list)
        .transpose()
        .map_err(usage)?;
    let no_dates = || {
        usage(anyhow!(
            "choose the dates: --every STEP (with --from/--to), --dates LIST or --dates changes"
        ))
    };
    if step.is_none() && listed.is_none() {
        return Err(no_dates());
    }
    series::check_jobs(args.jobs).map_err(usage)?;
    let single: Vec<(&str, &Path)> = match &kind {
        SeriesOutput::Files(..) => Vec::new(),
        _ => vec![("-o", Path::new(&args.output))],
    };
    let outputs: Vec<(&str, &Path)> = single
        .into_iter()
        .chain(args.manifest.as_deref().map(|m| ("--manifest", m)))
        .collect();

    let map = prepare(&args.map, args.quiet, &outputs, true, false)?;
    let timeline_dates = map.timeline().dates();
    let selection = match (listed, step) {
        (Some(DateSelection::Changes { .. }), _) => DateSelection::Changes { from, to },
        (Some(list), _) => list,
        (None, None) => return Err(no_dates()),
        (None, Some(step)) => {
            let (Some(from), Some(to)) = (
                from.or(timeline_dates.first().copied()),
                to.or(timeline_dates.last().copied()),
            ) else {
                return Err(usage(anyhow!(
                    "--every needs --from and --to (the timeline has no dates)"
                )));
            };
            DateSelection::Every { from, to, step }
        }
    };
    let dates = selection
        .dates(&map.change_dates(), args.max_frames)
        .map_err(usage)?;
    if let Some(&first) = dates.first() {
        check_since(&map, &args.map, first, "the first frame", args.quiet)?;
    }
    let progress = if args.quiet {
        Progress::Quiet
    } else if std::io::stderr().is_terminal() {
        Progress::Bar
    } else {
        Progress::Lines
    };
    let options = RunOptions {
        jobs: args.jobs,
        skip_existing: args.skip_existing,
        shard,
        progress,
    };
    let records = match kind {
        SeriesOutput::Files(template, format) => {
            let paths = template.paths(&dates).map_err(usage)?;
            let extra = map_inputs(&args.map);
            let mut inputs = named_inputs(&args.map.data, &extra);
            if let Some(style) = &args.map.data.categories.style {
                inputs.push(("--style", Path::new(style)));
            }
            let frames: Vec<(&str, &Path)> = paths
                .iter()
                .map(|p| ("-o", p.as_path()))
                .chain(args.manifest.as_deref().map(|m| ("--manifest", m)))
                .chain(
                    args.map
                        .data
                        .join
                        .report
                        .as_deref()
                        .map(|r| ("--report", r)),
                )
                .collect();
            output::check_distinct(&frames, &inputs).map_err(output_failure)?;
            series::render_files(&map, &dates, &paths, format, &options, &STOP)?
        }
        SeriesOutput::Animation(format) => {
            let (width, height) = controlmap::render::png::pixel_size(map.scene().style());
            let frames = series::ordered_pixmaps(&map, &dates, args.jobs, &STOP)?;
            series::animate::write_animation(
                Path::new(&args.output),
                format,
                width,
                height,
                dates.len(),
                frames,
                Timing {
                    frame_ms: args.frame_ms,
                    last_frame_ms: args.hold_ms,
                },
            )
            .map_err(|e| match e {
                AnimationError::Frame(e) => Failure::from(e),
                e => Failure::Data(anyhow!("{e}")),
            })?;
            series::records(&map, &dates)
        }
        SeriesOutput::Grid(cols, rows) => {
            if dates.len() > cols * rows {
                return Err(usage(anyhow!(
                    "--grid {cols}x{rows} has {} panels for {} dates",
                    cols * rows,
                    dates.len()
                )));
            }
            let doc = series::grid::svg(&map, &dates, cols, rows)?;
            let bytes = if extension == "svg" {
                doc.into_bytes()
            } else {
                controlmap::render::png::render(&doc, map.scene().style())?
            };
            output::write_atomic(Path::new(&args.output), &bytes)?;
            series::records(&map, &dates)
        }
        SeriesOutput::Page => {
            let page = controlmap::render::html::page(&map, &dates)?;
            output::write_atomic(Path::new(&args.output), page.as_bytes())?;
            series::records(&map, &dates)
        }
    };
    if let Some(path) = &args.manifest {
        series::write_manifest(path, &records, &map)?;
    }
    if !args.quiet {
        let skipped = records.iter().filter(|r| r.skipped).count();
        let last = dates[dates.len() - 1];
        eprintln!(
            "series: {} frames{} from {} to {} → {}{}",
            records.len(),
            shard.map_or(String::new(), |(k, n)| format!(
                " (shard {k}/{n} of {})",
                dates.len()
            )),
            dates[0],
            last,
            args.output,
            if skipped > 0 {
                format!(" ({skipped} already there, left alone)")
            } else {
                String::new()
            }
        );
        eprintln!("{last}: {}", counts_line(&map, last));
    }
    Ok(())
}

fn inspect(args: &InspectArgs) -> Result<(), Failure> {
    let geometry = read::GeometryOptions {
        strict: false,
        source_crs: source_crs(args.source_crs.as_deref())?,
    };
    let layer = read::read_layer_with(&args.file, args.layer.as_deref(), &geometry)?;
    warn_read_notes(&layer.notes, &args.file);
    let detected = read::read_boundaries(
        &args.file,
        &FieldOptions {
            layer: args.layer.clone(),
            geometry: geometry.clone(),
            ..FieldOptions::default()
        },
    )
    .ok()
    .map(|b| b.fields);
    let bbox = project::polygon_bounds(layer.features.iter().map(|f| &f.geometry));
    let empty = layer
        .features
        .iter()
        .filter(|f| f.geometry.0.is_empty())
        .count();
    let fields: Vec<(String, Vec<String>)> = layer
        .fields
        .iter()
        .map(|name| {
            let mut samples: Vec<String> = Vec::new();
            for f in &layer.features {
                if let Some(v) = f.properties.get(name).filter(|v| !v.is_empty())
                    && !samples.contains(v)
                {
                    samples.push(v.clone());
                    if samples.len() == 3 {
                        break;
                    }
                }
            }
            (name.clone(), samples)
        })
        .collect();
    if args.json {
        let value = serde_json::json!({
            "file": args.file,
            "format": layer.format,
            "layer": layer.layer,
            "other_layers": layer.other_layers,
            "features": layer.features.len(),
            "empty_geometries": empty,
            "crs": layer.notes.crs,
            "repaired_geometries": layer.notes.repairs,
            "bbox": bbox.map(|b| [b.min().x, b.min().y, b.max().x, b.max().y]),
            "fields": fields.iter().map(|(n, s)| serde_json::json!({"name": n, "samples": s})).collect::<Vec<_>>(),
            "detected": detected,
        });
        std::println!("{}", serde_json::to_string_pretty(&value)?);
        return Ok(());
    }
    println!("file:      {}", args.file.display());
    println!("format:    {}", layer.format);
    if let Some(l) = &layer.layer {
        println!("layer:     {l}");
    }
    for (name, n) in &layer.other_layers {
        println!("also:      {name} ({n} features; --layer {name})");
    }
    println!(
        "features:  {} ({empty} with empty geometry, {} repaired)",
        layer.features.len(),
        layer.notes.repairs.len()
    );
    if let Some(crs) = &layer.notes.crs {
        println!("crs:       {crs}, reprojected to lon/lat");
    }
    if let Some(b) = bbox {
        println!(
            "bbox:      {:.5},{:.5},{:.5},{:.5}",
            b.min().x,
            b.min().y,
            b.max().x,
            b.max().y
        );
    }
    match &detected {
        Some(d) => println!(
            "detected:  id={} name={} province={}",
            d.id.as_deref().unwrap_or("(feature index)"),
            d.name,
            d.province.as_deref().unwrap_or("(none)")
        ),
        None => println!("detected:  no name field; name one with --name-field"),
    }
    println!("fields:");
    for (name, samples) in fields {
        let samples: Vec<_> = samples
            .iter()
            .map(|s| controlmap::terminal::shown(s))
            .collect();
        println!(
            "  {:<14} {}",
            controlmap::terminal::shown(&name),
            samples.join(" | ")
        );
    }
    Ok(())
}
