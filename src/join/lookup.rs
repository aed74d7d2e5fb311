//! One name looked up among the districts by the join's own rules: normalised name (then the
//! loose form), in the province when one is given, then the alias file. Places use it to
//! find their district by name ([`crate::places`]).

use super::{AliasIndex, Index, JoinMode, Key, KeyRef, Method, canonical_province, loose_name};
use crate::read::{Aliases, Boundaries};

/// The districts indexed for looking names up.
pub struct NameLookup<'a> {
    index: Index<'a>,
    aliases: Option<AliasIndex>,
}

/// What a name found.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    /// The districts (indices into [`Boundaries::districts`]); several when the name is
    /// ambiguous, none when it matched nothing.
    pub districts: Vec<usize>,
    /// How they were found ([`Method::Name`] or [`Method::Alias`]).
    pub method: Method,
}

impl<'a> NameLookup<'a> {
    /// Indexes `boundaries`; `aliases` are the join's (`--aliases`).
    pub fn new(boundaries: &'a Boundaries, aliases: Option<&Aliases>) -> NameLookup<'a> {
        let mode = if boundaries.fields.province.is_some() {
            JoinMode::NameProvince
        } else {
            JoinMode::Name
        };
        NameLookup {
            index: Index::new(boundaries, mode),
            aliases: aliases.map(AliasIndex::new),
        }
    }

    /// The districts `name` (in `province`, when given and the boundaries have provinces)
    /// names. As in the join, an alias is tried when the name finds nothing or several
    /// districts, and wins only when it finds one or the name found none.
    pub fn find(&self, name: &str, province: Option<&str>) -> Lookup {
        let key = Key {
            norm: super::normalize_name(name),
            loose: loose_name(name),
            province: province.map(canonical_province),
            report: KeyRef {
                id: None,
                name: name.to_string(),
                province: province.map(str::to_string),
                file: Default::default(),
                first_line: 0,
                rows: 0,
                sources: Vec::new(),
                notes: Vec::new(),
            },
            steps: Vec::new(),
        };
        if key.norm.is_empty() {
            return Lookup {
                districts: Vec::new(),
                method: Method::Name,
            };
        }
        let direct = self.index.direct(&key);
        if direct.len() != 1
            && let Some(alias) = self
                .aliases
                .as_ref()
                .and_then(|a| a.find(&key, &self.index))
            && (direct.is_empty() || alias.districts.len() == 1)
        {
            return Lookup {
                districts: alias.districts,
                method: Method::Alias,
            };
        }
        Lookup {
            districts: direct,
            method: Method::Name,
        }
    }
}
