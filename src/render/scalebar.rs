//! The scale bar (`--scale-bar`, `[map] scale_bar`) and the north arrow (`[map] north_arrow`).
//!
//! A map's scale changes across the page in any projection, so the bar states the scale at
//! the map's centre: a short horizontal step on the page there is taken back through the
//! page transform and the projection's inverse to lon/lat, and its geodesic length on the
//! WGS 84 ellipsoid (Karney's method, through geo) gives km per page px. The bar is the
//! longest round length (1, 2 or 5 × 10ⁿ km) that fits in a quarter of the map's width,
//! drawn in the map area's lower left corner. The SVG group carries what it claims
//! (`data-km`, `data-px`) and the lon/lat of the two ends of a bar of that length centred on
//! the map's centre (`data-lon1` … `data-lat2`), so that anyone can check the claim.

use std::fmt::Write;

use geo::{Distance, Geodesic, Point};

use super::markup::{layer, num};
use crate::project::{Area, PageTransform, Projection};

/// The page step measured at the centre, in page px: short enough that the scale does not
/// change along it, long enough to be far above rounding.
const STEP: f64 = 10.0;

/// A scale bar ready to draw, in page px.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ScaleBar {
    /// Its length in km (a round number).
    pub(crate) km: f64,
    /// Its length on the page.
    pub(crate) px: f64,
    /// Its left end (on the baseline).
    pub(crate) x: f64,
    pub(crate) y: f64,
    /// The lon/lat of the ends of a bar of `px` centred on the map's centre.
    pub(crate) ends: [(f64, f64); 2],
    /// The direction of north at the centre (radians clockwise from page up), when the
    /// north arrow is drawn.
    pub(crate) north: Option<f64>,
}

/// The longest 1, 2 or 5 × 10ⁿ not above `v` (v > 0).
pub(crate) fn round_down(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|c| *c <= v * (1.0 + 1e-12))
        .unwrap_or(p)
}

/// The lon/lat under a page point, if the projection can invert it.
fn lon_lat(page: &PageTransform, projection: &Projection, x: f64, y: f64) -> Option<(f64, f64)> {
    let (mx, my) = page.invert(x, y);
    projection
        .inverse(mx, my)
        .filter(|(lon, lat)| lon.is_finite() && lat.is_finite())
}

fn geodesic_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1)) / 1000.0
}

/// The scale bar of a map laid out in `area`; `None` when the centre is outside the
/// projection's domain (then no bar is better than a wrong one).
pub(crate) fn scale_bar(
    page: &PageTransform,
    projection: &Projection,
    area: Area,
    u: f64,
    north_arrow: bool,
) -> Option<ScaleBar> {
    let (cx, cy) = (area.x + area.width / 2.0, area.y + area.height / 2.0);
    let a = lon_lat(page, projection, cx - STEP / 2.0, cy)?;
    let b = lon_lat(page, projection, cx + STEP / 2.0, cy)?;
    let km_per_px = geodesic_km(a, b) / STEP;
    if !(km_per_px.is_finite() && km_per_px > 0.0) {
        return None;
    }
    let km = round_down(area.width / 4.0 * km_per_px);
    let px = km / km_per_px;
    let ends = [
        lon_lat(page, projection, cx - px / 2.0, cy)?,
        lon_lat(page, projection, cx + px / 2.0, cy)?,
    ];
    let north = if north_arrow {
        // A step north on the ground, seen on the page.
        let c = lon_lat(page, projection, cx, cy)?;
        let up = projection.forward(c.0, (c.1 + 0.1).min(90.0))?;
        let (ux, uy) = page.apply(up.0, up.1);
        Some((ux - cx).atan2(cy - uy))
    } else {
        None
    };
    Some(ScaleBar {
        km,
        px,
        x: area.x + 12.0 * u,
        y: area.y + area.height - 14.0 * u,
        ends,
        north,
    })
}

impl ScaleBar {
    /// The `scale-bar` layer (and the `north-arrow` one).
    pub(crate) fn write(&self, out: &mut String, style: &super::Style, u: f64) {
        let font = &style.fonts.legend;
        let halo = style.halo_color;
        let tick = 5.0 * u;
        let size = font.size * u;
        let _ = writeln!(
            out,
            r##"<g id="scale-bar" data-km="{}" data-px="{}" data-lon1="{:.6}" data-lat1="{:.6}" data-lon2="{:.6}" data-lat2="{:.6}"{}><path d="M{} {}v{}h{}v{}" fill="none" stroke="{halo}" stroke-width="{}" stroke-linejoin="round"/><path d="M{} {}v{}h{}v{}" fill="none" stroke="{}" stroke-width="{}"/><text id="scale-bar-label" x="{}" y="{}" font-size="{}" fill="{}" stroke="{halo}" stroke-width="{}" stroke-linejoin="round" paint-order="stroke">{} km</text></g>"##,
            self.km,
            num(self.px, 3),
            self.ends[0].0,
            self.ends[0].1,
            self.ends[1].0,
            self.ends[1].1,
            layer("scale-bar"),
            num(self.x, 2),
            num(self.y - tick, 2),
            num(tick, 2),
            num(self.px, 3),
            num(-tick, 2),
            num(3.5 * u, 2),
            num(self.x, 2),
            num(self.y - tick, 2),
            num(tick, 2),
            num(self.px, 3),
            num(-tick, 2),
            font.color,
            num(1.2 * u, 2),
            num(self.x, 2),
            num(self.y - tick - 4.0 * u, 2),
            num(size, 2),
            font.color,
            num(f64::from(style.halo_width) * u, 2),
            self.km,
        );
        if let Some(angle) = self.north {
            // An arrow above the bar's right end, turned to north at the map's centre.
            let (x, y) = (self.x + self.px + 24.0 * u, self.y - 18.0 * u);
            let _ = writeln!(
                out,
                r##"<g id="north-arrow" data-angle="{}"{} transform="rotate({} {} {})"><path d="M{} {}l{} {}l{} {}l{} {}Z" fill="{}" stroke="{halo}" stroke-width="{}"/><text x="{}" y="{}" text-anchor="middle" font-size="{}" font-weight="bold" fill="{}">N</text></g>"##,
                num(angle.to_degrees(), 2),
                layer("north-arrow"),
                num(angle.to_degrees(), 2),
                num(x, 2),
                num(y, 2),
                num(x, 2),
                num(y - 10.0 * u, 2),
                num(6.0 * u, 2),
                num(16.0 * u, 2),
                num(-6.0 * u, 2),
                num(-4.0 * u, 2),
                num(-6.0 * u, 2),
                num(4.0 * u, 2),
                font.color,
                num(u, 2),
                num(x, 2),
                num(y - 13.0 * u, 2),
                num(size, 2),
                font.color,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_round_down_to_1_2_or_5_times_a_power_of_ten() {
        assert_eq!(round_down(0.7), 0.5);
        assert_eq!(round_down(1.0), 1.0);
        assert_eq!(round_down(3.9), 2.0);
        assert_eq!(round_down(180.0), 100.0);
        assert_eq!(round_down(260.0), 200.0);
        assert_eq!(round_down(999.0), 500.0);
    }
}
