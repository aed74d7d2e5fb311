//! The README is the user's reference: it must agree with what the binary accepts. These tests
//! tie the README to clap's own `--help`, so a flag added without documentation, or a
//! documented flag that was renamed or removed, fails the build's tests.

mod common;

use std::collections::BTreeSet;

use common::{controlmap, repo};

const COMMANDS: [&str; 5] = ["render", "series", "check", "stats", "inspect"];

/// Every `--long-flag` in a text, without its value.
fn flags(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = text[i..].find("--") {
        let start = i + at;
        // `---` (a table rule) and `x--y` are not flags.
        let before = start.checked_sub(1).map(|k| bytes[k]);
        let flag: String = text[start + 2..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if before.is_none_or(|b| !b.is_ascii_alphanumeric() && b != b'-')
            && flag.len() > 1
            && flag.starts_with(|c: char| c.is_ascii_lowercase())
            && !flag.ends_with('-')
        {
            out.insert(flag.clone());
            // `--border-color/-width` is the README's shorthand for `--border-width` too.
            let after = &text[start + 2 + flag.len()..];
            if let (Some(alt), Some((stem, _))) = (after.strip_prefix("/-"), flag.rsplit_once('-'))
            {
                let alt: String = alt
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                out.insert(format!("{stem}-{alt}"));
            }
        }
        i = start + 2 + flag.len();
    }
    out
}

fn help_flags() -> BTreeSet<String> {
    let mut all = BTreeSet::new();
    for command in COMMANDS {
        let out = controlmap().args([command, "--help"]).output().unwrap();
        assert!(out.status.success(), "{command} --help failed");
        all.extend(flags(&String::from_utf8_lossy(&out.stdout)));
    }
    all
}

fn readme() -> String {
    std::fs::read_to_string(repo("README.md")).unwrap()
}

/// The README's command-line reference: from its heading to the next `## ` section.
fn reference(readme: &str) -> &str {
    let start = readme
        .find("## Command-line reference")
        .expect("the README has a command-line reference");
    let rest = &readme[start + 3..];
    let end = rest.find("\n## ").map_or(readme.len(), |e| start + 3 + e);
    &readme[start..end]
}

#[test]
fn every_flag_of_every_command_is_in_the_readme() {
    let readme = readme();
    let documented = flags(&readme);
    let missing: Vec<_> = help_flags()
        .into_iter()
        .filter(|f| f != "help" && !documented.contains(f))
        .collect();
    assert!(
        missing.is_empty(),
        "flags in --help that README.md never mentions: --{}",
        missing.join(", --")
    );
}

#[test]
fn every_flag_of_the_readme_reference_exists() {
    let readme = readme();
    let known = help_flags();
    // Flags of other programs the reference quotes (cargo's, a shell's) are not ours.
    let foreign = ["release", "all-targets", "check", "open", "path"];
    let stale: Vec<_> = flags(reference(&readme))
        .into_iter()
        .filter(|f| !known.contains(f) && f != "help" && !foreign.contains(&f.as_str()))
        .collect();
    assert!(
        stale.is_empty(),
        "flags in the README's command-line reference that no command accepts: --{}",
        stale.join(", --")
    );
}

#[test]
fn the_flag_scanner_reads_flags_and_skips_table_rules() {
    let found = flags("| `--border-color/-width` | `--size web` |---|---| a--b `--x` -- ");
    assert_eq!(
        found.iter().map(String::as_str).collect::<Vec<_>>(),
        ["border-color", "border-width", "size"]
    );
}
