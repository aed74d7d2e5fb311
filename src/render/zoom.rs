//! Region zoom: the districts a map is framed on (`--extent province=NAME`,
//! `--extent district=NAME[,PROVINCE]`).
//!
//! Names are compared as the join compares them ([`normalize_name`], and the province
//! spellings of [`canonical_province`]), so `--extent province=Qunduz` finds Kunduz. A name
//! that finds nothing is an error that lists the closest names, so a typo costs one run.

use super::RenderError;
use crate::join::{canonical_province, normalize_name, similarity};
use crate::read::District;

/// The share of the frame left around the zoomed districts on every side, so that the
/// neighbours show where the region lies.
pub(crate) const MARGIN: f64 = 0.06;

/// How much of a neighbour's colour is kept when it is drawn faded around a zoomed region.
pub(crate) const FADE: f64 = 0.35;

/// A region to frame the map on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Extent {
    /// Every district of a province (any spelling the join knows).
    Province(String),
    /// One district, with its province when the name occurs in several.
    District {
        /// The district's name.
        name: String,
        /// Its province, to tell apart districts of one name.
        province: Option<String>,
    },
}

impl std::str::FromStr for Extent {
    type Err = RenderError;

    /// Parses `province=NAME` or `district=NAME[,PROVINCE]`.
    ///
    /// ```
    /// use controlmap::render::zoom::Extent;
    /// assert_eq!("province=Kunduz".parse::<Extent>().unwrap(), Extent::Province("Kunduz".into()));
    /// assert!(matches!("district=Kohistan,Kapisa".parse::<Extent>().unwrap(),
    ///     Extent::District { province: Some(_), .. }));
    /// assert!("Kunduz".parse::<Extent>().is_err());
    /// assert!("province=".parse::<Extent>().is_err());
    /// assert!("district=,Kapisa".parse::<Extent>().is_err());
    /// ```
    fn from_str(text: &str) -> Result<Extent, RenderError> {
        let bad = || {
            RenderError::Extent(format!(
                "`{text}`: expected province=NAME or district=NAME[,PROVINCE]"
            ))
        };
        let (kind, name) = text.split_once('=').ok_or_else(bad)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(bad());
        }
        match kind.trim().to_ascii_lowercase().as_str() {
            "province" => Ok(Extent::Province(name.to_string())),
            "district" => {
                let (name, province) = match name.split_once(',') {
                    Some((n, p)) if !p.trim().is_empty() => (n.trim(), Some(p.trim().to_string())),
                    _ => (name, None),
                };
                if name.is_empty() {
                    return Err(bad());
                }
                Ok(Extent::District {
                    name: name.to_string(),
                    province,
                })
            }
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for Extent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Extent::Province(p) => write!(f, "province={p}"),
            Extent::District {
                name,
                province: Some(p),
            } => write!(f, "district={name},{p}"),
            Extent::District { name, .. } => write!(f, "district={name}"),
        }
    }
}

/// How many close names an error suggests.
const SUGGESTIONS: usize = 3;

/// Which districts the extent covers, as a flag per district. An extent that covers none,
/// or a district name that covers several in different provinces, is an error naming the
/// closest candidates.
pub fn resolve(districts: &[District], extent: &Extent) -> Result<Vec<bool>, RenderError> {
    let fail = |why: String| Err(RenderError::Extent(format!("{extent}: {why}")));
    match extent {
        Extent::Province(name) => {
            if districts.iter().all(|d| d.province.is_none()) {
                return fail(
                    "the boundary file has no province field (use district=NAME or --bbox)".into(),
                );
            }
            let want = canonical_province(name);
            let focus: Vec<bool> = districts
                .iter()
                .map(|d| d.province.as_deref().map(canonical_province) == Some(want.clone()))
                .collect();
            if focus.contains(&true) {
                return Ok(focus);
            }
            let mut provinces: Vec<&str> = districts
                .iter()
                .filter_map(|d| d.province.as_deref())
                .collect();
            provinces.sort_unstable();
            provinces.dedup();
            fail(format!(
                "no such province; closest: {}",
                closest(name, provinces.into_iter().map(|p| (p, p.to_string())))
            ))
        }
        Extent::District { name, province } => {
            let want = normalize_name(name);
            let in_province = |d: &District| {
                province.as_deref().is_none_or(|p| {
                    d.province.as_deref().map(canonical_province) == Some(canonical_province(p))
                })
            };
            let focus: Vec<bool> = districts
                .iter()
                .map(|d| normalize_name(&d.name) == want && in_province(d))
                .collect();
            let found: Vec<&District> = districts
                .iter()
                .zip(&focus)
                .filter(|(_, f)| **f)
                .map(|(d, _)| d)
                .collect();
            let label = |d: &District| match &d.province {
                Some(p) => format!("{} ({p})", d.name),
                None => d.name.clone(),
            };
            match found.len() {
                0 => fail(format!(
                    "no such district; closest: {}",
                    closest(
                        name,
                        districts
                            .iter()
                            .filter(|d| in_province(d))
                            .map(|d| (d.name.as_str(), label(d)))
                    )
                )),
                1 => Ok(focus),
                _ if found.iter().all(|d| d.province == found[0].province) => Ok(focus),
                _ => fail(format!(
                    "{} districts have this name: {}; add the province, e.g. --extent district={},{}",
                    found.len(),
                    found
                        .iter()
                        .map(|d| label(d))
                        .collect::<Vec<_>>()
                        .join(", "),
                    found[0].name,
                    found[0].province.as_deref().unwrap_or("PROVINCE")
                )),
            }
        }
    }
}

/// The names most like `name`, best first, as `a, b, c`; `candidates` are (name to compare,
/// text to show).
fn closest<'a>(name: &str, candidates: impl Iterator<Item = (&'a str, String)>) -> String {
    let want = normalize_name(name);
    let mut scored: Vec<(f64, String)> = candidates
        .map(|(n, shown)| (similarity(&want, &normalize_name(n)), shown))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    let names: Vec<String> = scored
        .into_iter()
        .take(SUGGESTIONS)
        .map(|(_, s)| s)
        .collect();
    if names.is_empty() {
        "(none)".into()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::DistrictId;

    fn district(index: usize, name: &str, province: Option<&str>) -> District {
        District {
            index,
            id: DistrictId(index.to_string()),
            name: name.into(),
            province: province.map(str::to_string),
            geometry: geo::MultiPolygon(vec![]),
        }
    }

    fn sample() -> Vec<District> {
        vec![
            district(0, "Kunduz", Some("Kunduz")),
            district(1, "Imam Sahib", Some("Kunduz")),
            district(2, "Kohistan", Some("Kapisa")),
            district(3, "Kohistan", Some("Faryab")),
            district(4, "Asadabad", Some("Kunar")),
        ]
    }

    #[test]
    fn a_province_is_found_by_any_spelling() {
        let focus = resolve(&sample(), &Extent::Province("Qunduz".into())).unwrap();
        assert_eq!(focus, [true, true, false, false, false]);
    }

    #[test]
    fn an_unknown_province_lists_the_closest_names() {
        let e = resolve(&sample(), &Extent::Province("Kunduzz".into())).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("no such province"), "{text}");
        assert!(text.contains("closest: Kunduz, Kunar"), "{text}");
    }

    #[test]
    fn a_district_name_in_two_provinces_needs_its_province() {
        let e = resolve(
            &sample(),
            &Extent::District {
                name: "Kohistan".into(),
                province: None,
            },
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .contains("Kohistan (Kapisa), Kohistan (Faryab)")
        );
        let focus = resolve(
            &sample(),
            &Extent::District {
                name: "kohistan".into(),
                province: Some("Faryab".into()),
            },
        )
        .unwrap();
        assert_eq!(focus, [false, false, false, true, false]);
    }

    #[test]
    fn no_province_field_is_explained() {
        let d = vec![district(0, "A", None)];
        let e = resolve(&d, &Extent::Province("X".into())).unwrap_err();
        assert!(e.to_string().contains("no province field"));
    }
}
