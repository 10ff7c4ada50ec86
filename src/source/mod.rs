//! Bytes to span tree: YAML and JSON parsers, line index, limits. Knows nothing of OpenAPI.

mod json;
mod line_index;
mod tree;
mod yaml;

use std::sync::Arc;

pub(crate) use json::{special_in_word, word_at};
pub use line_index::{LineCol, LineIndex};
pub use tree::{
    Builder, Kind, Node, NodeId, Span, Tree, escape_token, key_bit, percent_decode, unescape_token,
};

/// Bounds that keep hostile input from exhausting the machine.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Files larger than this are not read.
    pub max_file_bytes: u64,
    /// Containers nested deeper than this are a parse error.
    pub max_depth: usize,
    /// Documents with more nodes than this are a parse error.
    pub max_nodes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 100 * 1024 * 1024,
            max_depth: 512,
            max_nodes: 50_000_000,
        }
    }
}

/// At most this many duplicate keys of one file are kept one by one; the rest are counted.
pub const MAX_DUPLICATE_KEYS: usize = 100;

/// A syntax error: where and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
    /// The input is larger or deeper than the limits allow, rather than malformed.
    pub limit: bool,
}

impl ParseError {
    pub fn new(offset: usize, message: impl Into<String>) -> ParseError {
        let message = message.into();
        // The YAML parser's own guard against deep nesting is a limit too.
        let limit = message.contains("recursion limit");
        ParseError {
            offset,
            message,
            limit,
        }
    }

    /// A limit of [`Limits`] was exceeded.
    pub fn limit(offset: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            limit: true,
            ..ParseError::new(offset, message)
        }
    }
}

/// Something wrong but not fatal found while parsing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadProblem {
    /// A key written again in the same mapping: `dup` is the repetition (its entry is the one
    /// kept if it is the last), `first` the key's first occurrence. `more` counts the duplicate
    /// keys of the file found after the first [`MAX_DUPLICATE_KEYS`] and not listed one by one:
    /// only the last of them is, with that count.
    DuplicateKey {
        first: NodeId,
        dup: NodeId,
        more: usize,
    },
    /// A YAML stream with more than one document: only the first is read.
    ExtraDocument { offset: usize },
    /// A YAML merge key (`<<`), which OpenAPI does not define; it is kept as an ordinary key.
    MergeKey { key: NodeId },
}

/// The syntax a file is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

impl Syntax {
    /// JSON for `.json` files and for any text whose first non-blank character opens a JSON object
    /// or array (YAML is a superset, but the JSON parser is faster and more precise).
    pub fn guess(path: &str, text: &str) -> Syntax {
        if path.ends_with(".json") {
            return Syntax::Json;
        }
        let first = text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .as_bytes()
            .first();
        if path.ends_with(".yaml") || path.ends_with(".yml") {
            return Syntax::Yaml;
        }
        match first {
            Some(b'{') => Syntax::Json,
            _ => Syntax::Yaml,
        }
    }
}

/// Parses text into a span tree.
pub fn parse(
    text: Arc<str>,
    syntax: Syntax,
    limits: &Limits,
) -> Result<(Tree, Vec<LoadProblem>), ParseError> {
    match syntax {
        Syntax::Json => json::parse(text, limits),
        Syntax::Yaml => yaml::parse(text, limits),
    }
}

/// Checks that a YAML text parsed in regions, cut at every line that can start one, gives the tree
/// and problems of one stream (or is parsed as one stream), and panics with the first difference:
/// for the fuzz target `yaml_regions` and its replayed inputs.
#[doc(hidden)]
pub fn check_yaml_regions(text: &str) {
    yaml::check_regions(text);
}

/// Parses a file: `.json` files as JSON; anything else that looks like JSON with the JSON parser
/// first (it is faster), falling back to YAML (a superset: `{openapi: 3.0.3}` is YAML, not JSON).
pub fn parse_file(
    path: &str,
    text: Arc<str>,
    limits: &Limits,
) -> Result<(Tree, Vec<LoadProblem>), ParseError> {
    match Syntax::guess(path, &text) {
        Syntax::Json if !path.ends_with(".json") => {
            json::parse(text.clone(), limits).or_else(|_| yaml::parse(text, limits))
        }
        syntax => parse(text, syntax, limits),
    }
}
