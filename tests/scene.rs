//! The typed scene through the library: a `draw::Layer` put into the scene (or into one
//! frame) is drawn by the SVG writer and by the PNG writer, in the same place.

use std::path::PathBuf;

use controlmap::read::{self, FieldOptions, TimelineOptions};
use controlmap::render::draw::{Anchor, Group, Item, Layer, Stroke, TextRun};
use controlmap::status::{Categories, Color};
use controlmap::timeline::Date;
use controlmap::{Map, MapOptions};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn map() -> Map {
    let fields = FieldOptions {
        id_field: Some("code".into()),
        name_field: Some("district".into()),
        province_field: Some("prov".into()),
        ..FieldOptions::default()
    };
    Map::new(
        read::read_boundaries(&fixture("districts.geojson"), &fields).unwrap(),
        read::read_timeline(&fixture("timeline.csv"), &TimelineOptions::default()).unwrap(),
        Categories::preset("lwj").unwrap(),
        &MapOptions::default(),
    )
    .unwrap()
}

const MAGENTA: Color = Color {
    r: 0xff,
    g: 0x00,
    b: 0xff,
};
const GREEN: Color = Color {
    r: 0x00,
    g: 0xaa,
    b: 0x00,
};

/// A layer of a filled box with a label, and a stroked circle.
fn marker_layer(id: &str, at: (f64, f64), color: Color) -> Layer {
    Layer {
        id: id.into(),
        label: id.into(),
        items: vec![Item::Group(Group {
            id: Some(format!("{id}-mark")),
            class: None,
            data: vec![("what".into(), "test".into())],
            items: vec![
                Item::Rect {
                    origin: (at.0 - 20.0, at.1 - 20.0),
                    size: (40.0, 40.0),
                    corner: 4.0,
                    fill: Some(color),
                    stroke: None,
                },
                Item::Text(TextRun {
                    x: at.0,
                    y: at.1 + 60.0,
                    text: "Mark".into(),
                    size: 30.0,
                    bold: true,
                    anchor: Anchor::Middle,
                    color,
                    halo: None,
                }),
                Item::Circle {
                    center: (at.0, at.1 + 120.0),
                    radius: 15.0,
                    fill: None,
                    stroke: Some(Stroke::solid(color, 4.0)),
                },
            ],
        })],
    }
}

fn pixel(p: &resvg::tiny_skia::Pixmap, x: u32, y: u32) -> (u8, u8, u8) {
    let c = p.pixel(x, y).unwrap();
    (c.red(), c.green(), c.blue())
}

#[test]
fn a_scene_layer_and_a_frame_layer_are_drawn_by_the_svg_and_png_writers() {
    let map = map();
    let date = Date::parse_iso("2021-06-20").unwrap();
    let mut scene = map
        .scene_for(map.scene().style().clone(), Default::default())
        .unwrap();
    // The PNG of the scene before the layer is added is prepared, then rebuilt with it.
    let mut frame = map.frame(date);
    let before = scene.pixmap(&frame).unwrap();
    scene.add_layer(marker_layer("fixed-marks", (400.0, 400.0), MAGENTA));
    frame
        .layers
        .push(marker_layer("date-marks", (1000.0, 400.0), GREEN));

    let svg = scene.svg(&frame);
    for id in ["fixed-marks", "date-marks"] {
        assert!(
            svg.contains(&format!(r#"<g id="{id}" inkscape:groupmode="layer""#)),
            "{id}"
        );
        assert!(svg.contains(&format!(r#"<g id="{id}-mark" data-what="test">"#)));
    }
    // The layers come after the map's own layers, the scene's first.
    let (a, b) = (
        svg.find("fixed-marks").unwrap(),
        svg.find("date-marks").unwrap(),
    );
    assert!(svg.find(r#"id="districts""#).unwrap() < a && a < b);

    let png = scene.pixmap(&frame).unwrap();
    assert_eq!(
        pixel(&png, 400, 400),
        (0xff, 0, 0xff),
        "the box of the scene layer"
    );
    assert_eq!(
        pixel(&png, 1000, 400),
        (0, 0xaa, 0),
        "the box of the frame layer"
    );
    assert_ne!(pixel(&before, 400, 400), (0xff, 0, 0xff));
    // The circle's outline (radius 15, 4 px wide) is drawn; its inside is not filled.
    assert_eq!(pixel(&png, 1015, 520), (0, 0xaa, 0));
    assert_eq!(pixel(&png, 1000, 520), pixel(&before, 1000, 520));
    // The text run is drawn in the layer's colour around its anchor.
    let text_pixels = (960..1040)
        .flat_map(|x| (430..462).map(move |y| (x, y)))
        .filter(|&(x, y)| pixel(&png, x, y) == (0, 0xaa, 0))
        .count();
    assert!(text_pixels > 50, "{text_pixels} pixels of text");
    // The same pixels as resvg draws from the SVG, within the writers' tolerance.
    let whole = controlmap::render::png::rasterize(&svg, scene.style()).unwrap();
    for (x, y) in [(400, 400), (1000, 400), (1015, 520), (385, 385)] {
        let (p, q) = (pixel(&png, x, y), pixel(&whole, x, y));
        let d = [p.0.abs_diff(q.0), p.1.abs_diff(q.1), p.2.abs_diff(q.2)];
        assert!(d.iter().all(|&v| v <= 3), "({x}, {y}): {p:?} vs {q:?}");
    }
    // A frame without the frame layer no longer has it; the scene layer stays.
    let plain = scene.pixmap(&map.frame(date)).unwrap();
    assert_eq!(pixel(&plain, 400, 400), (0xff, 0, 0xff));
    assert_ne!(pixel(&plain, 1000, 400), (0, 0xaa, 0));
}

#[test]
fn a_frame_drawn_into_a_recycled_buffer_is_the_frame_drawn_afresh() {
    let map = map();
    let (may, july) = (
        Date::parse_iso("2021-05-02").unwrap(),
        Date::parse_iso("2021-07-01").unwrap(),
    );
    let fresh = |date| {
        map.scene_for(map.scene().style().clone(), Default::default())
            .unwrap()
            .png(&map.frame(date))
            .unwrap()
    };
    let scene = map
        .scene_for(map.scene().style().clone(), Default::default())
        .unwrap();
    let first = scene.png(&map.frame(may)).unwrap();
    assert_ne!(first, fresh(july), "the two dates must look different");
    // The second frame reuses the first one's pixel buffer.
    assert_eq!(scene.png(&map.frame(july)).unwrap(), fresh(july));
    assert_eq!(scene.png(&map.frame(may)).unwrap(), first);
}
