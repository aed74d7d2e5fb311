//! Series: one map, many dates.
//!
//! The geometry is read, joined, projected and laid out once (a [`Map`]); each frame only
//! changes the fills, the legend counts and the date line. Frames render in parallel and go
//! straight to disk, so memory does not grow with the number of frames.

#[cfg(feature = "animation")]
pub mod animate;
pub mod dates;
pub mod grid;
pub mod run;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::Map;
use crate::output::{self, OutputError};
use crate::timeline::Date;

/// A problem running a series.
#[derive(Debug, thiserror::Error)]
pub enum SeriesError {
    /// The options do not make a series (bad step, empty selection, colliding template, ...).
    #[error("{0}")]
    Usage(String),
    /// Drawing a frame failed.
    #[error("frame {date}: {source}")]
    Frame {
        /// The frame's date.
        date: Date,
        /// What failed.
        source: Box<crate::Error>,
    },
    /// Writing an output failed.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Stopped by the user (Ctrl-C); the finished frames are on disk.
    #[error("interrupted: {done} of {total} frames written, none partially")]
    Interrupted {
        /// Frames written.
        done: usize,
        /// Frames asked for.
        total: usize,
    },
}

/// One frame of a series, as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FrameRecord {
    /// Position in the whole series (from 0).
    pub index: usize,
    /// The frame's date.
    pub date: Date,
    /// The file written, when frames are written one per file.
    pub file: Option<PathBuf>,
    /// Whether the file was already there and left alone (`--skip-existing`).
    pub skipped: bool,
    /// Districts per category on the date, in legend order, `no-data` last.
    pub counts: Vec<(String, usize)>,
    /// Districts whose status differs from the previous frame's.
    pub changed: Vec<Change>,
}

/// A district whose status changed between two frames.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// District id.
    pub id: String,
    /// District name.
    pub name: String,
    /// Status key at the previous frame.
    pub from: String,
    /// Status key at this frame.
    pub to: String,
}

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A progress bar with ETA (stderr is a terminal).
    Bar,
    /// A line now and then (stderr is a log).
    Lines,
    /// Nothing.
    Quiet,
}

/// How a series runs.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Worker threads; 0 = all cores.
    pub jobs: usize,
    /// Leave frames whose file already exists.
    pub skip_existing: bool,
    /// `(k, n)`: render only the frames whose index ≡ k (mod n).
    pub shard: Option<(usize, usize)>,
    /// Progress display.
    pub progress: Progress,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            jobs: 0,
            skip_existing: false,
            shard: None,
            progress: Progress::Quiet,
        }
    }
}

/// The output format of per-date files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// One SVG per date.
    Svg,
    /// One PNG per date.
    Png,
    /// One vector PDF per date.
    #[cfg(feature = "pdf")]
    Pdf,
}

/// The manifest record of every frame (counts, changes since the previous frame), without
/// rendering anything. The previous frame is the previous *date of the series*, whatever
/// the shard, so that shards agree with an unsharded run.
pub fn records(map: &Map, dates: &[Date]) -> Vec<FrameRecord> {
    let ids = &map.boundaries().districts;
    let mut previous: Option<Vec<&str>> = None;
    dates
        .iter()
        .enumerate()
        .map(|(index, &date)| {
            let now = map.statuses(date);
            let changed = previous
                .as_ref()
                .map(|prev| {
                    prev.iter()
                        .zip(&now)
                        .zip(ids)
                        .filter(|((a, b), _)| a != b)
                        .map(|((a, b), d)| Change {
                            id: d.id.0.clone(),
                            name: d.name.clone(),
                            from: a.to_string(),
                            to: b.to_string(),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let record = FrameRecord {
                index,
                date,
                file: None,
                skipped: false,
                counts: map.counts(date),
                changed,
            };
            previous = Some(now);
            record
        })
        .collect()
}

/// Which frames this run draws: all, or those of the shard.
pub fn shard_indices(count: usize, shard: Option<(usize, usize)>) -> Vec<usize> {
    (0..count)
        .filter(|i| shard.is_none_or(|(k, n)| i % n == k))
        .collect()
}

/// The most worker threads per core `--jobs` may ask for: more only adds memory (each holds
/// a frame) and scheduling, never speed.
pub const JOBS_PER_CORE: usize = 4;

/// Refuses a `--jobs` above [`JOBS_PER_CORE`] times the cores here (0 means all cores).
pub fn check_jobs(jobs: usize) -> Result<(), SeriesError> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let max = cores * JOBS_PER_CORE;
    if jobs > max {
        return Err(SeriesError::Usage(format!(
            "--jobs {jobs}: at most {max} ({JOBS_PER_CORE} per core, {cores} cores here); 0 uses every core"
        )));
    }
    Ok(())
}

fn pool(jobs: usize) -> Result<rayon::ThreadPool, SeriesError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| SeriesError::Usage(format!("cannot start {jobs} worker threads: {e}")))
}

/// Shows progress; safe to call from worker threads.
struct Meter {
    bar: Option<indicatif::ProgressBar>,
    lines: bool,
    total: usize,
    done: AtomicUsize,
}

impl Meter {
    fn new(progress: Progress, total: usize) -> Meter {
        let bar = (progress == Progress::Bar).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} frames  {elapsed} elapsed, ETA {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Meter {
            bar,
            lines: progress == Progress::Lines,
            total,
            done: AtomicUsize::new(0),
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.inc(1);
        } else if self.lines {
            // About ten lines per run, and the last one.
            let every = self.total.div_ceil(10).max(1);
            if done.is_multiple_of(every) || done == self.total {
                eprintln!("series: {done}/{} frames", self.total);
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Renders each selected frame to its file (`paths[i]` for `dates[i]`), in parallel, each
/// written atomically as soon as it is done. Stops early, leaving only complete files, when
/// `stop` is set (Ctrl-C). Returns the records of the frames this run was responsible for.
pub fn render_files(
    map: &Map,
    dates: &[Date],
    paths: &[PathBuf],
    format: FileFormat,
    options: &RunOptions,
    stop: &AtomicBool,
) -> Result<Vec<FrameRecord>, SeriesError> {
    let indices = shard_indices(dates.len(), options.shard);
    let all = records(map, dates);
    let meter = Meter::new(options.progress, indices.len());
    for dir in indices.iter().filter_map(|&i| paths[i].parent()) {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|source| OutputError::Write {
                path: dir.to_path_buf(),
                source,
            })?;
        }
    }
    let results: Vec<Result<Option<FrameRecord>, SeriesError>> =
        pool(options.jobs)?.install(|| {
            let to_draw = |i: &usize| !(options.skip_existing && paths[*i].exists());
            if format == FileFormat::Png && indices.iter().any(to_draw) {
                // On all threads before the frames start; a failure is reported by every
                // frame, with its date.
                let _ = map.scene().prepare_frames();
            }
            indices
                .par_iter()
                .map(|&i| {
                    if stop.load(Ordering::Relaxed) {
                        return Ok(None);
                    }
                    let mut record = all[i].clone();
                    record.file = Some(paths[i].clone());
                    if to_draw(&i) {
                        write_frame(map, dates[i], &paths[i], format)?;
                    } else {
                        record.skipped = true;
                    }
                    meter.tick();
                    Ok(Some(record))
                })
                .collect()
        });
    meter.finish();
    let mut done = Vec::with_capacity(indices.len());
    for r in results {
        if let Some(record) = r? {
            done.push(record);
        }
    }
    if done.len() < indices.len() {
        return Err(SeriesError::Interrupted {
            done: done.len(),
            total: indices.len(),
        });
    }
    Ok(done)
}

fn write_frame(map: &Map, date: Date, path: &Path, format: FileFormat) -> Result<(), SeriesError> {
    let frame_error = |source: crate::Error| SeriesError::Frame {
        date,
        source: Box::new(source),
    };
    let bytes = match format {
        FileFormat::Svg => map.render_svg(date).into_bytes(),
        FileFormat::Png => map.frame_png(date).map_err(frame_error)?,
        #[cfg(feature = "pdf")]
        FileFormat::Pdf => map.render_pdf(date).map_err(frame_error)?,
    };
    output::write_atomic(path, &bytes)?;
    Ok(())
}

/// Renders frames in order, `batch` at a time in parallel, for encoders that need them in
/// sequence (GIF, APNG): at most `batch` frames are held in memory.
pub fn ordered_pixmaps<'a>(
    map: &'a Map,
    dates: &'a [Date],
    jobs: usize,
    stop: &'a AtomicBool,
) -> Result<impl Iterator<Item = Result<resvg::tiny_skia::Pixmap, SeriesError>> + 'a, SeriesError> {
    let pool = pool(jobs)?;
    if !dates.is_empty() {
        // As in `render_files`: prepared on all threads, a failure reported by the frames.
        let _ = pool.install(|| map.scene().prepare_frames());
    }
    let batch = pool.current_num_threads().max(1) * 2;
    Ok(dates.chunks(batch).flat_map(move |chunk| {
        let rendered: Vec<Result<resvg::tiny_skia::Pixmap, SeriesError>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|&date| {
                    if stop.load(Ordering::Relaxed) {
                        return Err(SeriesError::Interrupted {
                            done: 0,
                            total: dates.len(),
                        });
                    }
                    map.frame_pixmap(date).map_err(|e| SeriesError::Frame {
                        date,
                        source: Box::new(e),
                    })
                })
                .collect()
        });
        rendered
    }))
}

/// Writes the manifest of `map`'s frames: JSON (an array of frames) or, for a `.csv` path,
/// one row per frame with a column per category and the changed districts' ids joined by
/// `;`. Each frame also gets each category's national share of the area
/// ([`crate::stats::national`]): an `area_share` object in JSON, `area_share.<category>`
/// columns at the end in CSV, so the older columns keep their places. The shares are worked
/// out here rather than in [`records`], so that a series without a manifest never measures
/// the districts (a few hundred ms for a full-resolution boundary file).
pub fn write_manifest(path: &Path, records: &[FrameRecord], map: &Map) -> Result<(), SeriesError> {
    let categories = map.categories();
    let keys: Vec<&str> = categories
        .list
        .iter()
        .chain(std::iter::once(&categories.no_data))
        .map(|c| c.key.as_str())
        .collect();
    // In legend order, as `keys`.
    let shares: Vec<Vec<f64>> = records
        .iter()
        .map(|r| {
            crate::stats::national(map, Some(r.date))
                .categories
                .iter()
                .map(|c| c.area_share)
                .collect()
        })
        .collect();
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let bytes = if is_csv {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec![
            "index".to_string(),
            "date".into(),
            "file".into(),
            "skipped".into(),
        ];
        header.extend(keys.iter().map(|k| k.to_string()));
        header.extend(["changed_count".to_string(), "changed_ids".into()]);
        header.extend(keys.iter().map(|k| format!("area_share.{k}")));
        let csv_error = |e: csv::Error| {
            SeriesError::Output(OutputError::Write {
                path: path.to_path_buf(),
                source: std::io::Error::other(e),
            })
        };
        w.write_record(&header).map_err(csv_error)?;
        for (r, shares) in records.iter().zip(&shares) {
            let mut row = vec![
                r.index.to_string(),
                r.date.to_string(),
                r.file
                    .as_ref()
                    .map(|f| crate::output::spreadsheet_text(&f.display().to_string()).into_owned())
                    .unwrap_or_default(),
                r.skipped.to_string(),
            ];
            for key in &keys {
                let n = r.counts.iter().find(|(k, _)| k == key).map_or(0, |c| c.1);
                row.push(n.to_string());
            }
            row.push(r.changed.len().to_string());
            let changed = r
                .changed
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(";");
            row.push(crate::output::spreadsheet_text(&changed).into_owned());
            row.extend(shares.iter().map(f64::to_string));
            w.write_record(&row).map_err(csv_error)?;
        }
        w.into_inner().map_err(|e| {
            SeriesError::Output(OutputError::Write {
                path: path.to_path_buf(),
                source: e.into_error(),
            })
        })?
    } else {
        let frames: Vec<serde_json::Value> = records
            .iter()
            .zip(&shares)
            .map(|(r, shares)| {
                serde_json::json!({
                    "index": r.index,
                    "date": r.date,
                    "file": r.file,
                    "skipped": r.skipped,
                    "counts": r.counts.iter().map(|(k, n)| (k.clone(), serde_json::json!(n))).collect::<serde_json::Map<_, _>>(),
                    "changed": r.changed,
                    "area_share": keys.iter().zip(shares).map(|(k, v)| (k.to_string(), serde_json::json!(v))).collect::<serde_json::Map<_, _>>(),
                })
            })
            .collect();
        let mut bytes = serde_json::to_vec_pretty(&frames).map_err(|e| {
            SeriesError::Output(OutputError::Write {
                path: path.to_path_buf(),
                source: std::io::Error::other(e),
            })
        })?;
        bytes.push(b'\n');
        bytes
    };
    output::write_atomic(path, &bytes)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_frames() {
        let all: Vec<usize> = (0..3)
            .flat_map(|k| shard_indices(37, Some((k, 3))))
            .collect();
        let mut sorted = all.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..37).collect::<Vec<_>>());
        assert_eq!(shard_indices(5, Some((1, 2))), [1, 3]);
    }
}
