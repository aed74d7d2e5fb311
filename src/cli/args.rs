//! The command line as clap parses it: every command's flags, grouped as `--help` shows
//! them. Nothing here checks a value: [`crate::cli::run`] turns these into the library's
//! settings, which resolve and check them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use controlmap::join::Ambiguous;
use controlmap::read::{self, DateFormat};

#[derive(Parser)]
#[command(
    name = "controlmap",
    version,
    about = "Territorial-control maps: district boundaries + a dated status timeline → SVG/PNG/PDF",
    after_help = "Exit codes: 0 ok, 1 data problem, 2 usage problem."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Refuse input files larger than this many megabytes (a guard against reading a stray
    /// huge file into memory).
    #[arg(long, global = true, value_name = "MB", default_value_t = read::DEFAULT_MAX_INPUT_BYTES >> 20)]
    pub max_input_mb: u64,
}

#[derive(Subcommand)]
pub enum Command {
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
pub struct CheckArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Print the report as JSON (documented in docs/check-json.md).
    #[arg(long, help_heading = "Output")]
    pub json: bool,
}

#[derive(Args)]
pub struct InspectArgs {
    /// Boundary file (GeoJSON, TopoJSON, Shapefile .shp).
    pub file: PathBuf,
    /// TopoJSON object to describe (default: the largest polygon object).
    #[arg(long)]
    pub layer: Option<String>,
    /// The file's coordinate reference system, overriding a .prj or a GeoJSON `crs` member
    /// (EPSG:NNNN or a PROJ string).
    #[arg(long, value_name = "CRS")]
    pub source_crs: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
#[command(next_help_heading = "Boundaries")]
pub struct BoundaryArgs {
    /// District boundaries: GeoJSON, TopoJSON or Shapefile (.shp with its .dbf); the format is
    /// detected from the content. GeoJSON and TopoJSON may come from a pipe, or stdin as `-`.
    #[arg(long, value_name = "FILE")]
    pub boundaries: PathBuf,
    /// TopoJSON object to draw (default: the largest polygon object).
    #[arg(long)]
    pub layer: Option<String>,
    /// Property holding the district id (default: detected, e.g. ADM2_PCODE, shapeID, GID_2).
    #[arg(long, value_name = "FIELD")]
    pub id_field: Option<String>,
    /// Property holding the district name (default: detected, e.g. ADM2_EN, shapeName, NAME).
    #[arg(long, value_name = "FIELD")]
    pub name_field: Option<String>,
    /// Property holding the province (default: detected, e.g. ADM1_EN, PROVINCE).
    #[arg(long, value_name = "FIELD")]
    pub province_field: Option<String>,
    /// The boundaries' coordinate reference system, overriding a .prj or a GeoJSON `crs`
    /// member: EPSG:NNNN (e.g. EPSG:32642, UTM 42N) or a PROJ string.
    #[arg(long, value_name = "CRS")]
    pub source_crs: Option<String>,
    /// Refuse rings that would be repaired or dropped (too few positions, no area, spikes,
    /// missing or repeated closing points) instead of warning about them.
    #[arg(long)]
    pub strict_geometry: bool,
}

#[derive(Args)]
#[command(next_help_heading = "Timeline")]
pub struct TimelineArgs {
    /// Status timeline: CSV (long: one row per district and date; wide: one column per date;
    /// no date = a snapshot) or JSON (records or GeoJSON-like features). Repeat to merge
    /// several files; a later file wins on the same district and date. `-` reads stdin.
    #[arg(long, value_name = "FILE", required = true)]
    pub status: Vec<PathBuf>,
    /// Column with district ids (P-codes) to join on.
    #[arg(long, value_name = "COLUMN")]
    pub id_column: Option<String>,
    /// Column with district names.
    #[arg(long, value_name = "COLUMN")]
    pub district_column: Option<String>,
    /// Column with province names.
    #[arg(long, value_name = "COLUMN")]
    pub province_column: Option<String>,
    /// Column with dates.
    #[arg(long, value_name = "COLUMN")]
    pub date_column: Option<String>,
    /// Column with status values.
    #[arg(long, value_name = "COLUMN")]
    pub status_column: Option<String>,
    /// Column saying where each row's information comes from (default: detected, e.g.
    /// `source`).
    #[arg(long, value_name = "COLUMN")]
    pub source_column: Option<String>,
    /// Column with a free-text note on each row (default: detected, e.g. `note`, `comment`).
    #[arg(long, value_name = "COLUMN")]
    pub note_column: Option<String>,
    /// How to read slashed dates when the data cannot tell (e.g. only 5/6/2021).
    #[arg(long, value_enum)]
    pub date_format: Option<DateFormat>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
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
pub struct CategoryArgs {
    /// Category preset: lwj (taliban, contested, unconfirmed, government) or binary
    /// (taliban, no-report). Default lwj, or only the categories --map names.
    #[arg(long)]
    pub preset: Option<String>,
    /// Map a raw status value to a category, e.g. --map 1=taliban --map 0=no-report.
    #[arg(long = "map", value_name = "VALUE=CATEGORY")]
    pub maps: Vec<String>,
    /// A category's colour, e.g. --color taliban=#c0392b (also no-data).
    #[arg(long = "color", value_name = "CATEGORY=#RRGGBB")]
    pub colors: Vec<String>,
    /// A category's legend label, e.g. --label no-report="No report".
    #[arg(long = "label", value_name = "CATEGORY=TEXT")]
    pub labels: Vec<String>,
    /// A style file (TOML; see docs/style.md) or a shipped style by name: nyt, lwj. Every
    /// other option wins over it.
    #[arg(long, value_name = "FILE|NAME", help_heading = "Style")]
    pub style: Option<String>,
}

/// How timeline rows find their districts.
#[derive(Args)]
#[command(next_help_heading = "Join")]
pub struct JoinArgs {
    /// Names matching several districts: leave them as no data (none) or colour all (all).
    #[arg(long, value_enum, default_value = "none")]
    pub ambiguous: Ambiguous,
    /// Extra spellings: a CSV with alias,name[,province] (e.g.
    /// assets/aliases/afghanistan.csv). Tried when a name matches no district, or several;
    /// every use is in the report.
    #[arg(long, value_name = "FILE")]
    pub aliases: Option<PathBuf>,
    /// Match the names still unmatched by similarity (0.5–1; 0.9 recommended), one to one,
    /// within the province when both sides have one. Off by default; every fuzzy match is
    /// printed with its score.
    #[arg(long, value_name = "THRESHOLD")]
    pub fuzzy: Option<f64>,
    /// Re-key the timeline through a crosswalk CSV (old names or codes → the boundary set's
    /// ids or names); a district split later gives every successor its parent's status.
    #[arg(long, value_name = "FILE", requires_all = ["crosswalk_from", "crosswalk_to"])]
    pub crosswalk: Option<PathBuf>,
    /// Crosswalk column(s) holding the timeline's names or ids; several, comma-separated,
    /// are tried in order.
    #[arg(
        long,
        value_name = "COLUMN[,COLUMN...]",
        value_delimiter = ',',
        requires = "crosswalk"
    )]
    pub crosswalk_from: Vec<String>,
    /// Crosswalk column holding the boundary file's ids (or names).
    #[arg(long, value_name = "COLUMN", requires = "crosswalk")]
    pub crosswalk_to: Option<String>,
    /// Write the full join report (matched and how, unmatched both ways with suggestions,
    /// ambiguous) as JSON.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Fail (exit 1, no output) when any name is unmatched or ambiguous, or rows conflict.
    #[arg(long)]
    pub strict: bool,
}

/// The inputs of a map: boundaries, timeline, categories and the join.
#[derive(Args)]
pub struct DataArgs {
    #[command(flatten)]
    pub boundaries: BoundaryArgs,
    #[command(flatten)]
    pub timeline: TimelineArgs,
    #[command(flatten)]
    pub categories: CategoryArgs,
    #[command(flatten)]
    pub join: JoinArgs,
}

/// Everything that makes the map, shared by `render` and `series`.
#[derive(Args)]
pub struct MapArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Projection as a PROJ string (default: chosen for the data's extent: a Lambert conformal
    /// conic for one country, equal-area azimuthal near the equator, a pole or for a
    /// continent, Equal Earth for the world; +proj=longlat draws plain lon/lat).
    #[arg(long, value_name = "PROJ", help_heading = "Map")]
    pub proj: Option<String>,
    /// Fix the frame exactly: minlon,minlat,maxlon,maxlat (default: fit the data); across the
    /// antimeridian write the west edge first (170,50,-170,60).
    #[arg(
        long,
        value_name = "BBOX",
        allow_hyphen_values = true,
        help_heading = "Map"
    )]
    pub bbox: Option<String>,
    /// With --bbox, the legend counts every district of the map, not only those in the frame.
    #[arg(long, help_heading = "Map")]
    pub national_counts: bool,
    /// Province polygons to draw as province borders (default: dissolved from the districts'
    /// province field).
    #[arg(long, value_name = "FILE", help_heading = "Map")]
    pub provinces: Option<PathBuf>,
    /// TopoJSON object of --provinces (default: its largest polygon object), e.g.
    /// `provinces` in the 2021 takeover TopoJSON.
    #[arg(
        long,
        value_name = "NAME",
        help_heading = "Map",
        requires = "provinces"
    )]
    pub provinces_layer: Option<String>,
    /// Labelled points: CSV with name,lon,lat[,kind] (kind "capital" is emphasised).
    #[arg(long, value_name = "FILE", help_heading = "Map")]
    pub places: Option<PathBuf>,
    /// Places' states by date: CSV with place,date,state[,note,source] (states contested,
    /// besieged, entered, captured, or the style's [place_states.NAME]); a place's state on
    /// the map's date is its latest record on or before it. Needs --places.
    #[arg(long, value_name = "FILE", help_heading = "Map", requires = "places")]
    pub place_status: Option<PathBuf>,
    /// Callouts: CSV with text,place,lon,lat[,district,dx,dy,anchor,width,from,to], one
    /// text box with a leader line per row (also [[annotation]] in a style file).
    #[arg(long, value_name = "FILE", help_heading = "Map")]
    pub annotations: Option<PathBuf>,

    /// Title.
    #[arg(long, help_heading = "Text")]
    pub title: Option<String>,
    /// Subtitle.
    #[arg(long, help_heading = "Text")]
    pub subtitle: Option<String>,
    /// Source / credit line (default names the input files).
    #[arg(long, help_heading = "Text")]
    pub source: Option<String>,
    /// The date line; {date} becomes e.g. "June 20, 2021" [default: "As of {date}"]. Every
    /// text may use {date}, {date.iso}, {count.CATEGORY} and {label.CATEGORY}, expanded
    /// per date; {{ and }} are literal braces.
    #[arg(long, help_heading = "Text")]
    pub date_line: Option<String>,
    /// The map alone: no title, legend or source.
    #[arg(long, help_heading = "Text")]
    pub plain: bool,
    /// The language of {date} and the counts: en ("June 20, 2021"), fr ("20 juin 2021"),
    /// fa (Dari) or ps (Pashto), the last two in Eastern Arabic-Indic digits with the legend
    /// right to left; as `[text] locale` in a style file [default: en].
    #[arg(long, value_enum, help_heading = "Text")]
    pub locale: Option<LocaleArg>,
    /// A font file (TrueType or OpenType) for every text, DejaVu Sans drawing the characters
    /// it lacks; replaces the style's `[fonts] regular` and `bold` [default: DejaVu Sans].
    #[arg(long, value_name = "FILE", help_heading = "Text")]
    pub font: Option<std::path::PathBuf>,
    /// The bold face of --font (or of the style's `[fonts] regular`); without one, bold
    /// text is set in the regular face, not emboldened.
    #[arg(long, value_name = "FILE", help_heading = "Text")]
    pub font_bold: Option<std::path::PathBuf>,

    /// District border colour [default: #ffffff].
    #[arg(long, help_heading = "Style")]
    pub border_color: Option<String>,
    /// District border width (px) [default: 0.5].
    #[arg(long, help_heading = "Style")]
    pub border_width: Option<f32>,
    /// Province border colour [default: #4d4d4d].
    #[arg(long, help_heading = "Style")]
    pub province_color: Option<String>,
    /// Province border width (px; 0 hides them) [default: 1.2].
    #[arg(long, help_heading = "Style")]
    pub province_width: Option<f32>,
    /// Country outline colour [default: #333333].
    #[arg(long, help_heading = "Style")]
    pub outline_color: Option<String>,
    /// Country outline width (px; 0 hides it) [default: 1.6].
    #[arg(long, help_heading = "Style")]
    pub outline_width: Option<f32>,
    /// Background colour, or "none" for transparent [default: #ffffff].
    #[arg(long, help_heading = "Style")]
    pub background: Option<String>,
    /// Simplification tolerance in px (0 = none); shared borders stay shared, so no gaps
    /// [default: 0.05].
    #[arg(long, help_heading = "Style", value_name = "PX")]
    pub simplify: Option<f64>,
    /// District borders: `shared` strokes a border two districts share once, `each` strokes
    /// every district's own outline (a shared border twice), as Mapnik, QGIS and geopandas
    /// do; as `[lines.borders] mode` in a style file [default: shared].
    #[arg(long, value_enum, help_heading = "Style")]
    pub borders: Option<BordersArg>,
    /// Where the legend goes [default: top].
    #[arg(long, value_enum, help_heading = "Style")]
    pub legend_position: Option<LegendArg>,
    /// A named page size [default: web].
    #[arg(long, value_enum, help_heading = "Style")]
    pub size: Option<SizeArg>,
    /// Page width (px) [default: 1600].
    #[arg(long, help_heading = "Style")]
    pub width: Option<u32>,
    /// Page height (px) [default: 1200].
    #[arg(long, help_heading = "Style")]
    pub height: Option<u32>,
    /// Refuse images larger than this many output pixels.
    #[arg(long, help_heading = "Style", default_value_t = controlmap::render::MAX_PIXELS)]
    pub max_pixels: u64,
    /// Output pixels per page pixel (2 for high-DPI PNG) [default: 1].
    #[arg(long, help_heading = "Style")]
    pub scale: Option<f32>,
    /// Draw a scale bar (a round length in km, true at the map's centre), as `[scale_bar]
    /// show = true` in a style file does.
    #[arg(long, help_heading = "Style")]
    pub scale_bar: bool,

    /// Zoom on a region: province=NAME (any spelling the join knows) or
    /// district=NAME[,PROVINCE]. Neighbours are drawn faded and cut at the frame, the legend
    /// counts the region's districts, and a locator map shows where the region lies.
    #[arg(
        long,
        value_name = "KIND=NAME",
        help_heading = "Zoom and labels",
        conflicts_with = "bbox"
    )]
    pub extent: Option<String>,
    /// Draw the locator map (default: with --extent only), e.g. with --bbox.
    #[arg(long, help_heading = "Zoom and labels", conflicts_with = "no_locator")]
    pub locator: bool,
    /// No locator map with --extent.
    #[arg(long, help_heading = "Zoom and labels")]
    pub no_locator: bool,
    /// Label every district that has room, at its pole of inaccessibility (with --extent,
    /// the zoomed region's districts are labelled anyway).
    #[arg(
        long,
        help_heading = "Zoom and labels",
        conflicts_with = "no_district_labels"
    )]
    pub district_labels: bool,
    /// No district labels, not even for the zoomed region.
    #[arg(long, help_heading = "Zoom and labels")]
    pub no_district_labels: bool,
    /// Capitals (--places rows of kind `capital`) in a district of this category on the
    /// date are marked as captured; `none` turns the marking off (default: the first
    /// category).
    #[arg(long, value_name = "CATEGORY", help_heading = "Zoom and labels")]
    pub captured_category: Option<String>,
    /// The legend line of captured capitals: {label} (the category's label), {count}.
    #[arg(long, value_name = "TEMPLATE", help_heading = "Zoom and labels")]
    pub captured_label: Option<String>,
    /// A place label that fits nowhere: keep it at its least crowded position (over
    /// another), or drop it with its dot; a warning names them either way, as `[labels]
    /// unplaced` in a style file [default: keep].
    #[arg(
        long,
        value_enum,
        value_name = "WHAT",
        help_heading = "Zoom and labels"
    )]
    pub unplaced_labels: Option<UnplacedArg>,

    /// Change map: hatch the districts whose category on the date differs from their
    /// category on this earlier date (YYYY-MM-DD), and count them in the legend. A district
    /// with no record on that date was no data then: one with a status now has changed.
    #[arg(long, value_name = "DATE", help_heading = "Change map")]
    pub since: Option<String>,
    /// Mark only the districts that moved into this category since --since.
    #[arg(
        long,
        value_name = "CATEGORY",
        help_heading = "Change map",
        requires = "since"
    )]
    pub since_only: Option<String>,
    /// The legend line of the marks: {date} (the --since date, e.g. "July 1, 2021"),
    /// {count}, {label} (the --since-only category's label). Default "Changed since {date}:
    /// {count}", or "Changed to {label} since {date}: {count}" with --since-only.
    #[arg(
        long,
        value_name = "TEMPLATE",
        help_heading = "Change map",
        requires = "since"
    )]
    pub since_label: Option<String>,
}

/// `--locale`.
#[derive(Clone, Copy, ValueEnum)]
pub enum LocaleArg {
    /// English.
    En,
    /// French.
    Fr,
    /// Dari.
    Fa,
    /// Pashto.
    Ps,
}

/// `--unplaced-labels`.
#[derive(Clone, Copy, ValueEnum)]
pub enum UnplacedArg {
    /// Drawn at its least crowded position, over another label or dot.
    Keep,
    /// Not drawn, and its dot neither.
    Drop,
}

/// `--size`.
#[derive(Clone, Copy, ValueEnum)]
pub enum SizeArg {
    /// 1600×1200 px.
    Web,
    /// 1080×1080 px.
    Social,
    /// An 8×6 in page at 300 dpi: 2400×1800 px (laid out in points).
    Print,
}

/// `--borders`.
#[derive(Clone, Copy, ValueEnum)]
pub enum BordersArg {
    /// Each border once.
    Shared,
    /// Every district's outline: shared borders twice, as other tools draw them.
    Each,
}

/// `--legend-position`.
#[derive(Clone, Copy, ValueEnum)]
pub enum LegendArg {
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
pub struct RenderArgs {
    #[command(flatten)]
    pub map: MapArgs,
    /// The map's date (YYYY-MM-DD): each district shows its latest status on or before it.
    /// Optional for a snapshot (a timeline without dates).
    #[arg(long, help_heading = "Timeline")]
    pub date: Option<String>,

    /// Output file (.svg, .png or .pdf); "-" writes to standard output.
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub output: PathBuf,
    /// Output format (default: from the output's extension).
    #[arg(long, value_enum, help_heading = "Output")]
    pub format: Option<Format>,
    /// No summary on stderr.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}

#[derive(Args)]
pub struct SeriesArgs {
    #[command(flatten)]
    pub map: MapArgs,
    /// First date (default: the first record date).
    #[arg(long, help_heading = "Dates")]
    pub from: Option<String>,
    /// Last date, inclusive (default: the last record date).
    #[arg(long, help_heading = "Dates")]
    pub to: Option<String>,
    /// A frame every N days, weeks or months from --from: 1d, 2w, 1m.
    #[arg(
        long,
        value_name = "STEP",
        help_heading = "Dates",
        conflicts_with = "dates"
    )]
    pub every: Option<String>,
    /// Explicit dates (2021-05-11,2021-06-20) or `changes`: every date on which some
    /// district's status differs from the day before (within --from/--to).
    #[arg(long, value_name = "LIST", help_heading = "Dates")]
    pub dates: Option<String>,
    /// Refuse more frames than this.
    #[arg(long, default_value_t = controlmap::series::dates::MAX_FRAMES, help_heading = "Dates")]
    pub max_frames: usize,

    /// Output: a template for one file per date (frames/{date}.png, map-{index}.svg,
    /// {date}.pdf), or one file: .gif (animated), .png with --animate (APNG) or with --grid.
    #[arg(short, long, value_name = "TEMPLATE", help_heading = "Output")]
    pub output: String,
    /// Write one animated PNG (APNG) instead of a file per date.
    #[arg(long, help_heading = "Output")]
    pub animate: bool,
    /// Milliseconds per frame of an animation.
    #[arg(long, default_value_t = 700, help_heading = "Output")]
    pub frame_ms: u32,
    /// Milliseconds the last frame of an animation stays.
    #[arg(long, default_value_t = 2500, help_heading = "Output")]
    pub hold_ms: u32,
    /// Small multiples: all dates in one image, COLSxROWS panels (e.g. 4x2).
    #[arg(long, value_name = "COLSxROWS", help_heading = "Output")]
    pub grid: Option<String>,
    /// Write what each frame shows (file, counts per category, districts changed since the
    /// previous frame, each category's share of the area) as JSON, or CSV for a .csv name.
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub manifest: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, default_value_t = 0, help_heading = "Run")]
    pub jobs: usize,
    /// Leave frames whose file already exists.
    #[arg(long, help_heading = "Run")]
    pub skip_existing: bool,
    /// Render only the frames whose index ≡ K (mod N), K from 0: split a long series across
    /// machines (a Kubernetes Indexed Job, a Slurm array, GNU parallel).
    #[arg(long, value_name = "K/N", help_heading = "Run")]
    pub shard: Option<String>,
    /// No summary or progress on stderr.
    #[arg(short, long, help_heading = "Run")]
    pub quiet: bool,
}

/// The columns of `controlmap stats`, for `--help` (kept in step with the README).
pub const STATS_HELP: &str = "\
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
pub enum StatsFormat {
    Csv,
    Json,
}

#[derive(Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub map: MapArgs,
    /// The date (YYYY-MM-DD): each district counts with its latest status on or before it.
    /// Optional for a snapshot (a timeline without dates).
    #[arg(long, help_heading = "Timeline")]
    pub date: Option<String>,

    /// Output file (default: standard output), written atomically.
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
    /// Output format (default: json for a .json output, else csv).
    #[arg(long, value_enum, help_heading = "Output")]
    pub format: Option<StatsFormat>,
    /// No summary on stderr.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,
}

// The flags as the library's settings: a field-by-field move, no checks (those are the
// library's, so that an embedding program gets them too).

use controlmap::config::commands::{OutputKind, RenderSettings, StatsSettings};
use controlmap::config::{DataSettings, MapSettings, StyleSettings, TextSettings};
use controlmap::read::TimelineOptions;
use controlmap::render::furniture::{LegendPosition, SizePreset};
use controlmap::render::locale::Locale;
use controlmap::render::placement::Unplaced;
use controlmap::series::run::SeriesSettings;
use controlmap::style::BorderMode;

impl From<DataArgs> for DataSettings {
    fn from(a: DataArgs) -> DataSettings {
        let (b, t, c, j) = (a.boundaries, a.timeline, a.categories, a.join);
        DataSettings {
            boundaries: b.boundaries,
            layer: b.layer,
            id_field: b.id_field,
            name_field: b.name_field,
            province_field: b.province_field,
            source_crs: b.source_crs,
            strict_geometry: b.strict_geometry,
            status: t.status,
            timeline: TimelineOptions {
                id_column: t.id_column,
                district_column: t.district_column,
                province_column: t.province_column,
                date_column: t.date_column,
                status_column: t.status_column,
                source_column: t.source_column,
                note_column: t.note_column,
                date_format: t.date_format,
            },
            preset: c.preset,
            maps: c.maps,
            colors: c.colors,
            labels: c.labels,
            style: c.style,
            ambiguous: j.ambiguous,
            aliases: j.aliases,
            fuzzy: j.fuzzy,
            crosswalk: j.crosswalk,
            crosswalk_from: j.crosswalk_from,
            crosswalk_to: j.crosswalk_to,
            report: j.report,
            strict: j.strict,
        }
    }
}

/// `--x` / `--no-x`: `Some(true)`, `Some(false)`, or the default.
fn either(on: bool, off: bool) -> Option<bool> {
    match (on, off) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    }
}

impl From<MapArgs> for MapSettings {
    fn from(a: MapArgs) -> MapSettings {
        MapSettings {
            data: a.data.into(),
            proj: a.proj,
            bbox: a.bbox,
            provinces: a.provinces,
            provinces_layer: a.provinces_layer,
            places: a.places,
            place_status: a.place_status,
            annotations: a.annotations,
            text: TextSettings {
                title: a.title,
                subtitle: a.subtitle,
                source: a.source,
                date_line: a.date_line,
            },
            style: StyleSettings {
                border_color: a.border_color,
                border_width: a.border_width,
                province_color: a.province_color,
                province_width: a.province_width,
                outline_color: a.outline_color,
                outline_width: a.outline_width,
                background: a.background,
                simplify: a.simplify,
                borders: a.borders.map(|b| match b {
                    BordersArg::Shared => BorderMode::Shared,
                    BordersArg::Each => BorderMode::Each,
                }),
                legend_position: a.legend_position.map(|p| match p {
                    LegendArg::Top => LegendPosition::Top,
                    LegendArg::Bottom => LegendPosition::Bottom,
                    LegendArg::Left => LegendPosition::Left,
                    LegendArg::Right => LegendPosition::Right,
                }),
                size: a.size.map(|s| match s {
                    SizeArg::Web => SizePreset::Web,
                    SizeArg::Social => SizePreset::Social,
                    SizeArg::Print => SizePreset::Print,
                }),
                width: a.width,
                height: a.height,
                max_pixels: Some(a.max_pixels),
                scale: a.scale,
                scale_bar: a.scale_bar,
                plain: a.plain,
                national_counts: a.national_counts,
                locale: a.locale.map(|l| match l {
                    LocaleArg::En => Locale::En,
                    LocaleArg::Fr => Locale::Fr,
                    LocaleArg::Fa => Locale::Fa,
                    LocaleArg::Ps => Locale::Ps,
                }),
                unplaced_labels: a.unplaced_labels.map(|u| match u {
                    UnplacedArg::Keep => Unplaced::Keep,
                    UnplacedArg::Drop => Unplaced::Drop,
                }),
                font: a.font,
                font_bold: a.font_bold,
            },
            extent: a.extent,
            locator: either(a.locator, a.no_locator),
            district_labels: either(a.district_labels, a.no_district_labels),
            captured_category: a.captured_category,
            captured_label: a.captured_label,
            since: a.since,
            since_only: a.since_only,
            since_label: a.since_label,
        }
    }
}

impl From<RenderArgs> for RenderSettings {
    fn from(a: RenderArgs) -> RenderSettings {
        RenderSettings {
            map: a.map.into(),
            date: a.date,
            output: a.output,
            format: a.format.map(|f| match f {
                Format::Svg => OutputKind::Svg,
                Format::Png => OutputKind::Png,
                Format::Pdf => OutputKind::Pdf,
                Format::Html => OutputKind::Html,
            }),
        }
    }
}

impl From<StatsArgs> for StatsSettings {
    fn from(a: StatsArgs) -> StatsSettings {
        StatsSettings {
            map: a.map.into(),
            date: a.date,
            output: a.output,
            format: a.format.map(|f| match f {
                StatsFormat::Csv => controlmap::config::commands::StatsFormat::Csv,
                StatsFormat::Json => controlmap::config::commands::StatsFormat::Json,
            }),
        }
    }
}

impl SeriesArgs {
    /// The settings, with `progress` shown as the terminal allows.
    pub fn settings(self, progress: controlmap::series::Progress) -> SeriesSettings {
        SeriesSettings {
            map: self.map.into(),
            from: self.from,
            to: self.to,
            every: self.every,
            dates: self.dates,
            max_frames: self.max_frames,
            output: self.output,
            animate: self.animate,
            frame_ms: self.frame_ms,
            hold_ms: self.hold_ms,
            grid: self.grid,
            manifest: self.manifest,
            jobs: self.jobs,
            skip_existing: self.skip_existing,
            shard: self.shard,
            progress,
        }
    }
}
