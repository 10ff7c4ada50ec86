//! The registry: every rule, one file each, listed once in `ALL` (sorted by id).

use crate::engine::Rule;

pub static ALL: &[&dyn Rule] = &[];

/// The rule with this id or alias.
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.meta().id == id || r.meta().aliases.contains(&id))
}
