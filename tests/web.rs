//! The web page (`-o page.html`) in a real browser: headless Chromium, driven through
//! WebDriver (chromedriver), loading the page from `file://` as a reader who saved it would.
//!
//! Why WebDriver and not the DevTools protocol: WebDriver is plain HTTP + JSON, a few lines
//! over std's `TcpStream` and serde_json (already a dependency), where DevTools needs a
//! WebSocket client; and its Actions API sends real key presses and pointer moves through
//! the browser's input pipeline. Why hand-written and not fantoccini/thirtyfour: both bring
//! tokio, hyper and a TLS stack, minutes of build on two cores for the dozen requests here.
//!
//! Chromium and chromedriver come from Debian (`.ci/run` installs them when missing). When
//! they are missing here the tests fail and say so, unless `CONTROLMAP_SKIP_BROWSER=1`
//! opts out explicitly.

mod common;
#[path = "common/golden.rs"]
#[allow(dead_code)] // the decoder and encoder only
mod golden;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use base64::Engine;
use common::{TAKEOVER, TOPO, controlmap, data};
use serde_json::{Value, json};

/// One browser at a time: the machine is small, and Chromium starts faster alone.
static BROWSER: Mutex<()> = Mutex::new(());

/// The W3C key of an element reference in WebDriver JSON.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// A program on the PATH (or named by an environment variable), if there is one.
fn program(var: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(var) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    names.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium and chromedriver, or `None` when the user opted out of browser tests; panics
/// with what to install when they are missing and nobody opted out.
fn browser_programs() -> Option<(PathBuf, PathBuf)> {
    let chromium = program(
        "CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let driver = program("CHROMEDRIVER", &["chromedriver"]);
    match (chromium, driver) {
        (Some(c), Some(d)) => Some((c, d)),
        _ if std::env::var_os("CONTROLMAP_SKIP_BROWSER").is_some_and(|v| v == "1") => {
            eprintln!("skipped: CONTROLMAP_SKIP_BROWSER=1 and no chromium/chromedriver");
            None
        }
        (c, d) => panic!(
            "the web page tests need headless Chromium and chromedriver (missing: {}{}); \
             install them with `apt-get install -y chromium chromium-driver` (as .ci/run does), \
             or set CONTROLMAP_SKIP_BROWSER=1 to skip these tests",
            if c.is_none() { "chromium " } else { "" },
            if d.is_none() { "chromedriver" } else { "" }
        ),
    }
}

/// One HTTP/1.1 request to chromedriver; the response's JSON. WebDriver errors panic with
/// their message.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Value {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("chromedriver listens");
    stream
        .set_read_timeout(Some(Duration::from_secs(120)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // chromedriver may keep the connection open whatever the request says: read the
    // headers, then as many bytes as they announce.
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    let split = loop {
        if let Some(p) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = stream.read(&mut buf).expect("a response");
        assert!(
            n > 0,
            "{method} {path}: connection closed before the headers"
        );
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let length = head.lines().find_map(|l| {
        l.strip_prefix("content-length:")
            .and_then(|v| v.trim().parse::<usize>().ok())
    });
    let mut payload = raw[split + 4..].to_vec();
    match length {
        Some(length) => {
            while payload.len() < length {
                let n = stream.read(&mut buf).expect("the response body");
                assert!(n > 0, "{method} {path}: connection closed in the body");
                payload.extend_from_slice(&buf[..n]);
            }
            payload.truncate(length);
        }
        None => {
            stream.read_to_end(&mut payload).expect("the response body");
            if head.contains("transfer-encoding: chunked") {
                payload = dechunk(&payload);
            }
        }
    }
    let value: Value = serde_json::from_slice(&payload).unwrap_or_else(|e| {
        panic!(
            "{method} {path}: not JSON ({e}): {}",
            String::from_utf8_lossy(&payload)
        )
    });
    if let Some(error) = value["value"]["error"].as_str() {
        panic!(
            "{method} {path}: WebDriver error `{error}`: {}",
            value["value"]["message"]
        );
    }
    value
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(end) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..end])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
}

/// A chromedriver with one Chromium session; both end when it is dropped.
struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts headless Chromium with a fresh profile; `javascript: false` switches scripts
    /// off for the whole profile (the fallback test).
    fn start(javascript: bool) -> Option<Browser> {
        let (chromium, driver) = browser_programs()?;
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut driver = Command::new(driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if started.elapsed() > Duration::from_secs(30) {
                let _ = driver.kill();
                panic!("chromedriver did not listen on port {port} within 30 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        // Without the background-networking flags Chromium keeps trying to reach Google's
        // services, which on a closed network stalls it.
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--window-size=1600,1200",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let mut options = json!({ "binary": chromium, "args": args });
        if !javascript {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options,
        }}});
        let mut browser = Browser {
            driver,
            port,
            session: String::new(),
            _profile: profile,
        };
        let created = http(port, "POST", "/session", Some(&caps));
        browser.session = created["value"]["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        // The viewport exactly 1600×1200 CSS px at one device pixel per px, whatever the
        // window decorations: what the screenshot comparison needs.
        browser.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 1600, "height": 1200, "deviceScaleFactor": 1, "mobile": false}),
        );
        Some(browser)
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            body.as_ref(),
        )["value"]
            .clone()
    }

    fn cdp(&self, cmd: &str, params: Value) -> Value {
        self.call(
            "POST",
            "/goog/cdp/execute",
            Some(json!({"cmd": cmd, "params": params})),
        )
    }

    fn open(&self, page: &Path, fragment: &str) {
        let url = format!("file://{}{fragment}", page.display());
        self.call("POST", "/url", Some(json!({ "url": url })));
    }

    /// Runs a script in the page (`arguments` as given) and returns its result.
    fn eval(&self, script: &str, args: Value) -> Value {
        self.call(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
    }

    fn find_all(&self, css: &str) -> Vec<Value> {
        self.call(
            "POST",
            "/elements",
            Some(json!({"using": "css selector", "value": css})),
        )
        .as_array()
        .cloned()
        .unwrap_or_default()
    }

    /// Presses and releases one key (a WebDriver key code) on whatever has the focus.
    fn press(&self, key: char) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key.to_string()},
            {"type": "keyUp", "value": key.to_string()},
        ]}]});
        self.call("POST", "/actions", Some(actions));
    }

    /// Moves the mouse to a point of the viewport.
    fn move_mouse(&self, x: i64, y: i64) {
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse",
            "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "duration": 0, "origin": "viewport", "x": x, "y": y}]}]});
        self.call("POST", "/actions", Some(actions));
    }

    fn screenshot(&self) -> golden::Image {
        let b64 = self.call("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().expect("base64 PNG"))
            .expect("valid base64");
        golden::decode(&png)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            // Ends Chromium; then the driver.
            let _ = std::panic::catch_unwind(|| {
                http(
                    self.port,
                    "DELETE",
                    &format!("/session/{}", self.session),
                    None,
                )
            });
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The takeover map of the README with the peer benchmark's mapping (1 taliban, 2 contested,
/// 0 government) and both polygons of a repeated name coloured.
fn takeover_args() -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = vec!["--boundaries".into(), data(TOPO).into()];
    args.extend(["--status".into(), data(TAKEOVER).into()]);
    for a in [
        "--map",
        "1=taliban",
        "--map",
        "2=contested",
        "--map",
        "0=government",
        "--ambiguous",
        "all",
        "--title",
        "Districts reported under Taliban control",
        "--source",
        "Source: Tolo News, compiled by M. Roth and T. Looram (Taliban-Takeover); AIMS district boundaries.",
        "--quiet",
    ] {
        args.push(a.into());
    }
    args
}

/// Where the tests keep the pages they make (under the target directory, kept for a look).
fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("web");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The 37-date page of the takeover (`series --dates changes`), with the capitals.
fn offensive_page() -> &'static Path {
    static PAGE: OnceLock<PathBuf> = OnceLock::new();
    PAGE.get_or_init(|| {
        let page = out_dir().join("offensive.html");
        controlmap()
            .arg("series")
            .args(takeover_args())
            .args(["--places"])
            .arg(common::repo("assets/provincial-capitals.csv"))
            .args(["--dates", "changes", "-o"])
            .arg(&page)
            .assert()
            .success();
        page
    })
}

/// Each timeline name's value on a date (as of: the latest row on or before it), from the
/// CSV alone.
fn takeover_as_of(date: &str) -> std::collections::BTreeMap<String, String> {
    let csv = std::fs::read_to_string(data(TAKEOVER)).unwrap();
    let iso = |d: &str| {
        let mut p = d.split('/').map(|x| x.parse::<u32>().unwrap());
        let (m, d, y) = (p.next().unwrap(), p.next().unwrap(), p.next().unwrap());
        format!("{y:04}-{m:02}-{d:02}")
    };
    let mut latest: std::collections::BTreeMap<String, (String, String)> = Default::default();
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let when = iso(cells[1]);
        if when.as_str() > date {
            continue;
        }
        let entry = latest
            .entry(cells[0].to_string())
            .or_insert((String::new(), String::new()));
        if when >= entry.0 {
            *entry = (when, cells[2].to_string());
        }
    }
    latest.into_iter().map(|(k, (_, v))| (k, v)).collect()
}

/// Districts reported under Taliban control (`1`) on a date, from the CSV and the number of
/// polygons each name has in the TopoJSON (seven names have two, both coloured).
fn expected_taliban(date: &str) -> usize {
    let topo: Value = serde_json::from_slice(&std::fs::read(data(TOPO)).unwrap()).unwrap();
    let mut polygons = std::collections::BTreeMap::<String, usize>::new();
    for g in topo["objects"]["districts"]["geometries"]
        .as_array()
        .unwrap()
    {
        *polygons
            .entry(g["id"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    takeover_as_of(date)
        .iter()
        .filter(|(_, v)| *v == "1")
        .map(|(name, _)| polygons.get(name).copied().unwrap_or(0))
        .sum()
}

fn count_status(browser: &Browser, status: &str) -> usize {
    browser
        .find_all(&format!("#districts > path[data-status=\"{status}\"]"))
        .len()
}

fn legend_count(browser: &Browser, key: &str) -> String {
    browser
        .eval(
            "var g = document.querySelector('#legend g[data-key=\"' + arguments[0] + '\"] text.count');\
             return g ? g.textContent : null;",
            json!([key]),
        )
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_fragment_opens_the_page_at_that_date() {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let Some(browser) = Browser::start(true) else {
        return;
    };
    let page = offensive_page();
    for date in ["2021-06-20", "2021-08-16"] {
        browser.open(page, &format!("#date={date}"));
        let expected = expected_taliban(date);
        assert_eq!(count_status(&browser, "taliban"), expected, "{date}");
        assert_eq!(legend_count(&browser, "taliban"), expected.to_string());
        // The slider says the date, spoken and shown.
        let slider = browser.eval(
            "var s = document.getElementById('cm-slider');\
             return [s.getAttribute('aria-valuetext'), document.getElementById('date').textContent];",
            json!([]),
        );
        let long = if date == "2021-06-20" {
            "June 20, 2021"
        } else {
            "August 16, 2021"
        };
        assert_eq!(slider[0], long);
        assert!(slider[1].as_str().unwrap().contains(long), "{slider}");
    }
    // The brief's figures, which the CSV computation above must agree with.
    assert_eq!(
        (
            expected_taliban("2021-06-20"),
            expected_taliban("2021-08-16")
        ),
        (41, 148)
    );
}

#[test]
fn arrow_keys_step_through_the_dates_and_the_legend_follows() {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let Some(browser) = Browser::start(true) else {
        return;
    };
    let page = offensive_page();
    browser.open(page, "#date=2021-06-20");
    let dates: Vec<String> = serde_json::from_value(browser.eval(
        "return JSON.parse(document.getElementById('cm-data').textContent).dates;",
        json!([]),
    ))
    .unwrap();
    let at = dates.iter().position(|d| d == "2021-06-20").unwrap();
    let next = &dates[at + 1];
    browser.press('\u{E014}'); // →
    let expected = expected_taliban(next);
    assert_ne!(expected, expected_taliban("2021-06-20"));
    assert_eq!(legend_count(&browser, "taliban"), expected.to_string());
    assert_eq!(count_status(&browser, "taliban"), expected);
    // The fragment follows, so that the address links to the day shown.
    let hash = browser.eval("return location.hash;", json!([]));
    assert_eq!(hash, format!("#date={next}"));
    browser.press('\u{E012}'); // ←
    assert_eq!(
        legend_count(&browser, "taliban"),
        expected_taliban("2021-06-20").to_string()
    );
    browser.press('\u{E011}'); // Home
    let first = browser.eval("return location.hash;", json!([]));
    assert_eq!(first, format!("#date={}", dates[0]));
    browser.press('\u{E010}'); // End
    assert_eq!(
        legend_count(&browser, "taliban"),
        expected_taliban(dates.last().unwrap()).to_string()
    );
}

#[test]
fn hovering_a_district_shows_its_name_and_status() {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let Some(browser) = Browser::start(true) else {
        return;
    };
    browser.open(offensive_page(), "#date=2021-08-16");
    // A point inside some Taliban district: its bounding box scanned for a spot where that
    // very path is on top (a district's box centre can lie in a neighbour).
    let spot = browser.eval(
        r#"var ps = document.querySelectorAll('#districts > path[data-status="taliban"]');
           for (var i = 0; i < ps.length; i++) {
             var r = ps[i].getBoundingClientRect();
             for (var fy = 0.3; fy < 0.8; fy += 0.1) for (var fx = 0.3; fx < 0.8; fx += 0.1) {
               var x = Math.round(r.left + fx * r.width), y = Math.round(r.top + fy * r.height);
               if (document.elementFromPoint(x, y) === ps[i])
                 return [x, y, ps[i].getAttribute('data-name')];
             }
           }
           return null;"#,
        json!([]),
    );
    let (x, y) = (spot[0].as_i64().unwrap(), spot[1].as_i64().unwrap());
    let name = spot[2].as_str().unwrap().to_string();
    browser.move_mouse(x, y);
    let tip = browser.eval(
        "var t = document.getElementById('cm-tip');\
         var label = document.querySelector('#legend g[data-key=\"taliban\"] text').textContent;\
         return [t.hidden, t.innerText, label, document.getElementById('cm-hover').getAttribute('display')];",
        json!([]),
    );
    assert_eq!(tip[0], false, "the tooltip is shown");
    let text = tip[1].as_str().unwrap();
    assert!(text.contains(&name), "{text:?} names {name}");
    assert!(
        text.contains(tip[2].as_str().unwrap()),
        "{text:?} says the status label {}",
        tip[2]
    );
    assert!(text.contains("since "), "{text:?} says since when");
    assert!(tip[3].is_null(), "the district is outlined");
    // The README's picture: `CONTROLMAP_WEB_SCREENSHOT=docs/web-page.png cargo test --test
    // web hovering` writes the page with this tooltip open, at a desktop article's width.
    if let Some(path) = std::env::var_os("CONTROLMAP_WEB_SCREENSHOT") {
        browser.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 960, "height": 790, "deviceScaleFactor": 1, "mobile": false}),
        );
        let spot = browser.eval(
            "var r = document.querySelector('#districts > path[data-name=\"' + arguments[0] + '\"]').getBoundingClientRect();\
             return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];",
            json!([name]),
        );
        browser.move_mouse(spot[0].as_i64().unwrap(), spot[1].as_i64().unwrap());
        std::fs::write(
            common::repo("").join(path),
            golden::encode(&browser.screenshot()),
        )
        .unwrap();
    }
    // Off the map, the tooltip goes.
    browser.move_mouse(5, 5);
    let hidden = browser.eval(
        "return document.getElementById('cm-tip').hidden;",
        json!([]),
    );
    assert_eq!(hidden, true);
}

#[test]
fn the_plain_page_looks_like_the_png_of_its_date() {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let Some(browser) = Browser::start(true) else {
        return;
    };
    let dir = out_dir();
    let (page, png) = (dir.join("plain.html"), dir.join("plain-2021-06-20.png"));
    controlmap()
        .arg("series")
        .args(takeover_args())
        .args(["--plain", "--dates", "changes", "-o"])
        .arg(&page)
        .assert()
        .success();
    controlmap()
        .arg("render")
        .args(takeover_args())
        .args(["--plain", "--date", "2021-06-20", "-o"])
        .arg(&png)
        .assert()
        .success();
    browser.open(&page, "#date=2021-06-20");
    let shot = browser.screenshot();
    let want = golden::decode(&std::fs::read(&png).unwrap());
    assert_eq!((shot.width, shot.height), (want.width, want.height));
    // Two renderers anti-alias edges differently: a pixel differs when a channel is off by
    // more than a fifth of the range, which a changed fill always is.
    let differing = shot
        .rgba
        .chunks_exact(4)
        .zip(want.rgba.chunks_exact(4))
        .filter(|(a, b)| a[..3].iter().zip(&b[..3]).any(|(x, y)| x.abs_diff(*y) > 51))
        .count();
    let total = (want.width * want.height) as usize;
    eprintln!(
        "{differing} of {total} pixels ({:.3}%) differ from the PNG",
        differing as f64 * 100.0 / total as f64
    );
    std::fs::write(dir.join("plain-chromium.png"), golden::encode(&shot)).unwrap();
    assert!(
        differing * 100 <= total,
        "{differing} of {total} pixels differ (more than 1%); see {}",
        dir.join("plain-chromium.png").display()
    );
    // And it is that date's map: another date's differs by more.
    browser.open(&page, "#date=2021-08-16");
    let other = browser.screenshot();
    let moved = other
        .rgba
        .chunks_exact(4)
        .zip(want.rgba.chunks_exact(4))
        .filter(|(a, b)| a[..3].iter().zip(&b[..3]).any(|(x, y)| x.abs_diff(*y) > 51))
        .count();
    assert!(
        moved > 5 * differing.max(total / 1000),
        "{moved} vs {differing}"
    );
}

#[test]
fn without_javascript_the_page_still_shows_the_last_map() {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let Some(browser) = Browser::start(false) else {
        return;
    };
    let page = offensive_page();
    browser.open(page, "#date=2021-06-20");
    // The fragment cannot be followed without the script: the map is the last date's.
    assert_eq!(
        count_status(&browser, "taliban"),
        expected_taliban("2021-08-16")
    );
    let shot = browser.screenshot();
    let taliban = browser.find_all("#districts > path[data-status=\"taliban\"]");
    let fill = browser.call(
        "GET",
        &format!(
            "/element/{}/attribute/fill",
            taliban[0][ELEMENT].as_str().unwrap()
        ),
        None,
    );
    let hex = fill.as_str().unwrap().trim_start_matches('#');
    let rgb: Vec<u8> = (0..3)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let painted = shot
        .rgba
        .chunks_exact(4)
        .filter(|p| p[..3] == rgb[..])
        .count();
    // The Taliban districts cover a good part of the map on August 16.
    assert!(painted > 50_000, "{painted} pixels in {hex}");
    // The controls need the script; they stay hidden.
    let controls = browser.find_all("#cm-controls");
    let shown = browser.call(
        "GET",
        &format!(
            "/element/{}/displayed",
            controls[0][ELEMENT].as_str().unwrap()
        ),
        None,
    );
    assert_eq!(shown, false);
}

#[test]
fn a_hostile_district_name_stays_text() {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let name = r#"</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">"#;
    let boundaries = dir.path().join("d.geojson");
    let feature = |name: &str, x: f64| {
        json!({"type": "Feature", "properties": {"name": name, "province": "P"},
            "geometry": {"type": "Polygon", "coordinates": [[[x, 0.0], [x + 1.0, 0.0], [x + 1.0, 1.0], [x, 1.0], [x, 0.0]]]}})
    };
    std::fs::write(
        &boundaries,
        json!({"type": "FeatureCollection", "features": [feature(name, 0.0), feature("Plain", 1.0)]})
            .to_string(),
    )
    .unwrap();
    let status = dir.path().join("s.csv");
    let quoted = name.replace('"', "\"\"");
    std::fs::write(
        &status,
        format!(
            "district,province,date,status,source,note\n\"{quoted}\",P,2021-01-01,taliban,\"</script>\",<b>first</b> & co\nPlain,P,2021-01-01,government,x,\n\"{quoted}\",P,2021-02-01,government,y,\n"
        ),
    )
    .unwrap();
    let page = dir.path().join("page.html");
    controlmap()
        .arg("series")
        .arg("--boundaries")
        .arg(&boundaries)
        .arg("--status")
        .arg(&status)
        .args(["--dates", "changes", "--quiet", "-o"])
        .arg(&page)
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();
    // Two script elements close, the JSON's and the program's; no third.
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(!html.contains("<img"));
    let Some(browser) = Browser::start(true) else {
        return;
    };
    browser.open(&page, "#date=2021-01-01");
    let seen = browser.eval(
        "return [window.pwned || 0, document.querySelector('#districts > path').getAttribute('data-name'), document.querySelectorAll('img').length];",
        json!([]),
    );
    assert_eq!(seen, json!([0, name, 0]));
    // Tab focuses the first district (keyboard users get the tooltip too), and its source
    // and note show as the text they are.
    browser.press('\u{E004}');
    let tip = browser.eval(
        "var t = document.getElementById('cm-tip'); return [t.hidden, t.innerText, t.querySelectorAll('b, script, img').length, document.activeElement.outerHTML.slice(0, 80)];",
        json!([]),
    );
    assert_eq!(tip[0], false, "focus opens the tooltip: {tip}");
    let text = tip[1].as_str().unwrap();
    for part in [
        name,
        "Source: </script>",
        "Note: <b>first</b> & co",
        "since January 1, 2021",
    ] {
        assert!(text.contains(part), "{text:?} has {part:?}");
    }
    assert_eq!(tip[2], 0);
}

/// A daily timeline for a whole year on the takeover's districts, made here rather than
/// committed: day `d` of 2021 shows the takeover as of the day that far through its own
/// May 11 – August 16 span, so districts change on many days, as in a daily tracker.
fn synthetic_daily_timeline(path: &Path) {
    let start = (2021, 5, 11);
    let span_days = 97; // May 11 to August 16
    let days_in = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let date_of = |mut ordinal: usize, (y, mut m, mut d): (u32, usize, usize)| {
        // `ordinal` days after (y, m, d), within 2021.
        while ordinal > 0 {
            d += 1;
            if d > days_in[m - 1] {
                d = 1;
                m += 1;
            }
            ordinal -= 1;
        }
        format!("{y:04}-{m:02}-{d:02}")
    };
    let mut out = String::from("id,date,taliban_control\n");
    let mut cache: std::collections::HashMap<String, std::collections::BTreeMap<String, String>> =
        Default::default();
    for day in 0..365 {
        let real = date_of(day * span_days / 364, start);
        let as_of = cache
            .entry(real.clone())
            .or_insert_with(|| takeover_as_of(&real));
        let date = date_of(day, (2021, 1, 1));
        for (name, value) in as_of.iter() {
            let name = if name.contains(',') || name.contains('"') {
                format!("\"{}\"", name.replace('"', "\"\""))
            } else {
                name.clone()
            };
            out.push_str(&format!("{name},{date},{value}\n"));
        }
    }
    std::fs::write(path, out).unwrap();
}

#[test]
fn pages_stay_small_next_to_the_svg() {
    // No browser needed: the sizes of what the CLI writes.
    let dir = out_dir();
    let (svg, page, year_csv, year) = (
        dir.join("single-2021-08-16.svg"),
        offensive_page(),
        dir.join("daily-2021.csv"),
        dir.join("daily-2021.html"),
    );
    let places = common::repo("assets/provincial-capitals.csv");
    controlmap()
        .arg("render")
        .args(takeover_args())
        .arg("--places")
        .arg(&places)
        .args(["--date", "2021-08-16", "-o"])
        .arg(&svg)
        .assert()
        .success();
    synthetic_daily_timeline(&year_csv);
    let mut args = takeover_args();
    args[3] = year_csv.clone().into();
    controlmap()
        .arg("series")
        .args(args)
        .arg("--places")
        .arg(&places)
        .args([
            "--every",
            "1d",
            "--from",
            "2021-01-01",
            "--to",
            "2021-12-31",
        ])
        .args(["--max-frames", "400", "-o"])
        .arg(&year)
        .assert()
        .success();
    let size = |p: &Path| std::fs::metadata(p).unwrap().len() as f64;
    let (svg, page, year_page) = (size(&svg), size(page), size(&year));
    let dates = std::fs::read_to_string(&year).unwrap();
    assert!(dates.contains("\"2021-12-31\"") && dates.contains("\"2021-01-01\""));
    eprintln!(
        "single-date SVG {:.0} KB; 37-date page {:.0} KB ({:.2}x); 365-day page {:.0} KB ({:.2}x)",
        svg / 1024.0,
        page / 1024.0,
        page / svg,
        year_page / 1024.0,
        year_page / svg
    );
    assert!(page <= 1.5 * svg, "37-date page {page} B vs SVG {svg} B");
    assert!(
        year_page <= 2.0 * svg,
        "365-day page {year_page} B vs SVG {svg} B"
    );
}

#[test]
fn render_writes_one_self_contained_page_for_an_html_name() {
    let dir = tempfile::tempdir().unwrap();
    let (page, other) = (dir.path().join("map.html"), dir.path().join("map.out"));
    controlmap()
        .arg("render")
        .args(takeover_args())
        .args(["--date", "2021-06-20", "-o"])
        .arg(&page)
        .assert()
        .success();
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg ").count(), 1, "the geometry once");
    assert_eq!(
        html.matches(r#"data-status="taliban""#).count(),
        expected_taliban("2021-06-20")
    );
    // Nothing to fetch: the only URL is the SVG namespace.
    let urls = html.matches("http://").count() + html.matches("https://").count();
    assert_eq!(urls, html.matches("http://www.w3.org/2000/svg").count());
    for fetch in [
        "<link",
        " src=",
        "@import",
        "fetch(",
        "XMLHttpRequest",
        "url(http",
    ] {
        assert!(!html.contains(fetch), "{fetch}");
    }
    // --format html whatever the name, and the error for a name that says nothing.
    controlmap()
        .arg("render")
        .args(takeover_args())
        .args(["--date", "2021-06-20", "--format", "html", "-o"])
        .arg(&other)
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&other)
            .unwrap()
            .contains(r#"<svg id="cm-map""#)
    );
    controlmap()
        .arg("render")
        .args(takeover_args())
        .args(["--date", "2021-06-20", "-o"])
        .arg(dir.path().join("out.jpg"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(".pdf or .html name, or --format"));
}
