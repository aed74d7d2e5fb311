//! The writers a scene offers: SVG, PNG (pixels prepared once per scene), PDF.

use super::Scene;
use crate::render::{Frame, RenderError, paint, png, raster, svg};

impl Scene {
    /// The SVG document for a frame.
    pub fn svg(&self, frame: &Frame) -> String {
        svg::document(self, frame)
    }

    /// The PNG image of one frame of many: the map of [`Scene::svg`], drawn from pixels
    /// prepared once per scene (see [`raster`]).
    pub fn png(&self, frame: &Frame) -> Result<Vec<u8>, RenderError> {
        let raster = self.raster()?;
        if let Some(rgb) = raster.compose_rgb(self, frame)? {
            let png = png::encode_rgb(raster.width, raster.height, &rgb);
            raster.recycle_buffer(rgb);
            return png;
        }
        let pixmap = raster.compose(self, frame)?;
        let png = png::encode(&pixmap)?;
        raster.recycle(pixmap);
        Ok(png)
    }

    /// The vector PDF of a frame: [`Scene::svg`] converted by svg2pdf, one page of the SVG's
    /// size (1 px = 1 pt), text in the embedded bundled font (see [`pdf`]).
    #[cfg(feature = "pdf")]
    pub fn pdf(&self, frame: &Frame) -> Result<Vec<u8>, RenderError> {
        crate::render::pdf::render_with(&self.svg(frame), self.style.scale, &self.style.typeface)
    }

    /// The PNG image of a frame drawn once (see [`Scene::pixmap_once`]).
    pub fn png_once(&self, frame: &Frame) -> Result<Vec<u8>, RenderError> {
        if let Some(rgb) = paint::draw_once_rgb(self, frame)? {
            let (width, height) = png::pixel_size(&self.style);
            return png::encode_rgb(width, height, &rgb);
        }
        png::encode(&self.pixmap_once(frame)?)
    }

    /// The pixels of a frame drawn straight onto the page, in the SVG's order, as resvg
    /// draws [`Scene::svg`]: cheaper than preparing [`Scene::pixmap`]'s per-scene pixels
    /// when the scene is drawn once.
    pub fn pixmap_once(&self, frame: &Frame) -> Result<resvg::tiny_skia::Pixmap, RenderError> {
        paint::draw_once(self, frame)
    }

    /// The pixels of one frame of many, before PNG encoding (see [`raster`]).
    pub fn pixmap(&self, frame: &Frame) -> Result<resvg::tiny_skia::Pixmap, RenderError> {
        self.raster()?.compose(self, frame)
    }

    /// Prepares what [`Scene::pixmap`] draws every frame from (the first frame would
    /// otherwise). A program drawing frames on several threads calls it first: the
    /// preparation runs on all of them, whereas threads waiting for another's first frame
    /// sit idle.
    pub fn prepare_frames(&self) -> Result<(), RenderError> {
        self.raster().map(|_| ())
    }

    fn raster(&self) -> Result<&raster::Raster, RenderError> {
        self.raster
            .get_or_init(|| raster::Raster::new(self).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| RenderError::Svg(e.clone()))
    }
}
