//! # controlmap
//!
//! Territorial-control maps from district boundaries and a dated control-status timeline.
//!
//! The modules follow the path the data takes:
//!
//! 1. [`read`]: boundary readers (GeoJSON, TopoJSON, Shapefile), the timeline readers (CSV,
//!    JSON), and the alias and crosswalk tables the join uses,
//! 2. [`status`]: raw status values → categories (key, label, colour),
//! 3. [`timeline`]: dates and the as-of lookup ("latest record on or before the date"),
//! 4. [`join`]: timeline records → districts: crosswalk, id or normalised name (+ province),
//!    aliases, opt-in fuzzy matching; [`check`] reports on the inputs and the join,
//! 5. [`mesh`]: shared borders (province lines, outline),
//! 6. [`project`]: lon/lat → page coordinates (PROJ strings via proj4rs),
//! 7. [`simplify`]: gap-free simplification to what the page can show,
//! 8. [`render`]: SVG (the map), PNG (the same SVG rasterised with resvg and a bundled font),
//!    PDF (the same SVG as vector PDF, the font embedded),
//! 9. [`output`]: atomic writes,
//! 10. [`stats`]: districts and area per category, nationally and per province;
//!     [`places`] binds labelled places to their districts by name.
//!
//! [`Map`] ties them together for one date. [`config`] resolves and checks a map's options as
//! the command line does (defaults, a style file, overrides; errors naming the option, usage
//! or data) and runs the commands; [`series::run`] runs a series; [`inspect`] describes a
//! boundary file.
//! [`Map`] ties them together for one date. The domain types they share live below all of
//! them: [`district`], [`names`], [`history`] and the style model [`style`].
//!
//! ```no_run
//! use controlmap::{read, status::Categories, timeline::Date, Map, MapOptions};
//!
//! let boundaries = read::read_boundaries(
//!     "../shared/data/ocha-adm2-2018/afg_admbnda_adm2_agcho_20180522.shp".as_ref(),
//!     &read::FieldOptions::default(),
//! )?;
//! let timeline = read::read_timeline(
//!     "../shared/data/lwj-control-2018/afg_districts.csv".as_ref(),
//!     &read::TimelineOptions::default(),
//! )?;
//! let categories = Categories::preset("lwj").unwrap();
//! let map = Map::new(boundaries, timeline, categories, &MapOptions::default())?;
//! let date = Date::parse_iso("2019-01-01").unwrap();
//! let png: Vec<u8> = map.render_png(date)?;
//! # Ok::<(), controlmap::Error>(())
//! ```

#![warn(missing_docs)]

pub mod check;
pub mod config;
pub mod district;
pub mod history;
pub mod inspect;
pub mod join;
pub mod map;
pub mod mesh;
pub mod names;
pub mod output;
pub mod places;
pub mod project;
pub mod read;
pub mod render;
pub mod series;
pub mod simplify;
pub mod stats;
pub mod status;
pub mod style;
pub mod terminal;
pub mod timeline;

pub use map::{Map, MapOptions};

/// Any error the library returns: one variant per layer of the pipeline.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading a boundary or timeline file failed.
    #[error(transparent)]
    Read(#[from] read::ReadError),
    /// Mapping status values to categories failed.
    #[error(transparent)]
    Status(#[from] status::StatusError),
    /// Joining the timeline to the districts failed (boxed: it carries both rows).
    #[error(transparent)]
    Join(Box<join::JoinError>),
    /// Projecting the districts failed.
    #[error(transparent)]
    Project(#[from] project::ProjectError),
    /// Rendering failed.
    #[error(transparent)]
    Render(#[from] render::RenderError),
    /// Writing an output failed.
    #[error(transparent)]
    Output(#[from] output::OutputError),
}

impl From<join::JoinError> for Error {
    fn from(e: join::JoinError) -> Error {
        Error::Join(Box::new(e))
    }
}
