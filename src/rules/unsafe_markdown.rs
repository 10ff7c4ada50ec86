use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{
    Document, Header, Parameter, PathItem, Schema, SecurityScheme, Server,
};
use crate::document::{DocumentSet, NodeRef, describe};
use crate::engine::{Context, Finding, OperationInfo, ResponseInfo, Rule, RuleMeta, SchemaUsage};

#[doc = include_str!("../../rules/unsafe-markdown.md")]
pub struct UnsafeMarkdown;

static META: RuleMeta = RuleMeta {
    id: "unsafe-markdown",
    aliases: &["no-script-tags-in-markdown", "no-eval-in-markdown"],
    summary: "a description or summary contains a script, a `javascript:` URL, `eval(` or an event handler",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api8SecurityMisconfiguration),
    docs: include_str!("../../rules/unsafe-markdown.md"),
};

/// HTML event-handler attributes that run script when documentation renders the markup.
const EVENT_HANDLERS: &[&str] = &[
    "onabort",
    "onafterprint",
    "onanimationend",
    "onanimationstart",
    "onbeforeunload",
    "onbegin",
    "onblur",
    "onchange",
    "onclick",
    "oncontextmenu",
    "ondblclick",
    "ondrag",
    "ondrop",
    "onend",
    "onerror",
    "onfocus",
    "onfocusin",
    "onhashchange",
    "oninput",
    "oninvalid",
    "onkeydown",
    "onkeypress",
    "onkeyup",
    "onload",
    "onmessage",
    "onmousedown",
    "onmouseenter",
    "onmouseleave",
    "onmousemove",
    "onmouseout",
    "onmouseover",
    "onmouseup",
    "onpageshow",
    "onpaste",
    "onpointerdown",
    "onpointerenter",
    "onpointerover",
    "onreset",
    "onresize",
    "onscroll",
    "onsearch",
    "onselect",
    "onstart",
    "onsubmit",
    "ontoggle",
    "ontransitionend",
    "onunload",
    "onwheel",
];

/// The first dangerous construct in `text`, as written there.
fn dangerous(text: &str) -> Option<String> {
    // Every construct needs a `<`, a `javascript:` or an `eval(`: most texts have none and cost
    // one pass (a `:` or a `(` alone is common in prose).
    let bytes = text.as_bytes();
    let after = |i: usize, word: &str| {
        i >= word.len() && bytes[i - word.len()..i].eq_ignore_ascii_case(word.as_bytes())
    };
    let marks = |i: usize| match bytes[i] {
        b'<' => true,
        b':' => after(i, "javascript"),
        b'(' => after(i, "eval"),
        _ => false,
    };
    // Eight bytes at a time past words that hold none of `<`, `:` and `(`.
    let mut i = 0;
    let candidate = loop {
        if let Some(word) = bytes
            .get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            && !marker_in_word(u64::from_le_bytes(word))
        {
            i += 8;
            continue;
        }
        let end = bytes.len().min(i + 8);
        if i >= end {
            break false;
        }
        if (i..end).any(marks) {
            break true;
        }
        i = end;
    };
    if !candidate {
        return None;
    }
    let lower = outside_code(text).to_ascii_lowercase();
    for needle in ["<script", "javascript:", "eval("] {
        if lower.contains(needle) {
            return Some(needle.to_string());
        }
    }
    event_handler(&lower)
}

/// True when one of the eight bytes of `word` is `<`, `:` or `(`.
fn marker_in_word(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Non-zero exactly when some byte of `x` is zero.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    zero(word ^ (ONES * u64::from(b'<')))
        | zero(word ^ (ONES * u64::from(b':')))
        | zero(word ^ (ONES * u64::from(b'(')))
        != 0
}

/// The text without fenced code blocks and inline code spans, which Markdown shows as text.
fn outside_code(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for (i, part) in line.split('`').enumerate() {
            if i % 2 == 0 {
                out.push_str(part);
            }
        }
        out.push('\n');
    }
    out
}

/// An event-handler attribute (`onload=`) inside an HTML tag of the (lower-case) text.
fn event_handler(lower: &str) -> Option<String> {
    let bytes = lower.as_bytes();
    let mut in_tag = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b'o' if in_tag
                && i > 0
                && matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'/' | b'"' | b'\'') =>
            {
                let end = i + bytes[i..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                let name = &lower[i..end];
                let rest = lower[end..].trim_start();
                if rest.starts_with('=') && EVENT_HANDLERS.contains(&name) {
                    return Some(format!("{name}="));
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Reports each of `fields` of `node` whose text is dangerous; `whose` names the owner.
fn scan(
    set: &DocumentSet,
    node: NodeRef,
    fields: &[&str],
    whose: impl Fn() -> String,
    cx: &mut Context<'_>,
) {
    for field in fields {
        let Some(value) = set.get(node, field) else {
            continue;
        };
        let Some(found) = set.str(value).and_then(dangerous) else {
            continue;
        };
        cx.report(Finding::new(
            value,
            format!(
                "the {field} of {} contains `{found}`, which runs as script where the documentation renders HTML",
                whose()
            ),
            "remove the script, `javascript:` URL or event handler; write plain text or Markdown",
        ));
    }
}

const TEXT: &[&str] = &["summary", "description"];

impl Rule for UnsafeMarkdown {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_document(&self, doc: &Document<'_>, cx: &mut Context<'_>) {
        let set = doc.set();
        if let Some(info) = set.get(doc.node, "info") {
            scan(
                set,
                info,
                &["title", "summary", "description"],
                || "the API".to_string(),
                cx,
            );
        }
        if let Some(tags) = set.get(doc.node, "tags") {
            for tag in set.items(tags) {
                let name = set.get(tag, "name").and_then(|n| set.str(n)).unwrap_or("");
                scan(set, tag, &["description"], || format!("tag `{name}`"), cx);
            }
        }
    }

    fn check_server(&self, server: &Server<'_>, cx: &mut Context<'_>) {
        let whose = || format!("server `{}`", server.url());
        scan(server.set(), server.node, &["description"], whose, cx);
    }

    fn check_security_scheme(
        &self,
        name: &str,
        _key: NodeRef,
        scheme: &SecurityScheme<'_>,
        cx: &mut Context<'_>,
    ) {
        let whose = || format!("security scheme `{name}`");
        scan(scheme.set(), scheme.node, &["description"], whose, cx);
    }

    fn check_path_item(
        &self,
        path: &str,
        _key: NodeRef,
        item: &PathItem<'_>,
        cx: &mut Context<'_>,
    ) {
        scan(item.set(), item.node, TEXT, || format!("path `{path}`"), cx);
    }

    fn check_operation(&self, op: &OperationInfo<'_>, cx: &mut Context<'_>) {
        scan(
            op.doc.set(),
            op.op.node,
            TEXT,
            || op.label().to_string(),
            cx,
        );
    }

    fn check_parameter(
        &self,
        param: &Parameter<'_>,
        _op: &OperationInfo<'_>,
        cx: &mut Context<'_>,
    ) {
        let set = param.set();
        scan(
            set,
            param.node,
            &["description"],
            || describe(set, param.node),
            cx,
        );
    }

    fn check_response(&self, response: &ResponseInfo<'_, '_>, cx: &mut Context<'_>) {
        let set = response.response.set();
        let node = response.response.node;
        scan(set, node, &["description"], || describe(set, node), cx);
    }

    fn check_header(
        &self,
        _name: &str,
        _key: NodeRef,
        header: &Header<'_>,
        _response: &ResponseInfo<'_, '_>,
        cx: &mut Context<'_>,
    ) {
        let set = header.set();
        scan(
            set,
            header.node,
            &["description"],
            || describe(set, header.node),
            cx,
        );
    }

    fn check_schema(&self, schema: &Schema<'_>, _usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        let set = schema.set();
        scan(
            set,
            schema.node,
            &["title", "description"],
            || describe(set, schema.node),
            cx,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::{dangerous, event_handler};

    #[test]
    fn finds_scripts_urls_eval_and_handlers() {
        assert_eq!(
            dangerous("Hi <SCRIPT>alert(1)</script>").as_deref(),
            Some("<script")
        );
        assert_eq!(
            dangerous("[x](JavaScript:alert(1))").as_deref(),
            Some("javascript:")
        );
        assert_eq!(dangerous("runs eval(x)").as_deref(), Some("eval("));
        assert_eq!(
            event_handler("<img src=x onerror=alert(1)>").as_deref(),
            Some("onerror=")
        );
        assert_eq!(
            event_handler("<body onload = go()>").as_deref(),
            Some("onload=")
        );
    }

    #[test]
    fn finds_a_construct_at_any_offset() {
        // Across the eight-byte words the first pass reads, and in a tail shorter than a word.
        for pad in 0..20 {
            let lead = "a".repeat(pad);
            for (text, found) in [
                ("<script>", "<script"),
                ("javascript:go()", "javascript:"),
                ("eval(x)", "eval("),
            ] {
                let whole = format!("{lead}{text} and more text after it");
                assert_eq!(dangerous(&whole).as_deref(), Some(found), "{whole:?}");
                let at_end = format!("{lead}{text}");
                assert_eq!(dangerous(&at_end).as_deref(), Some(found), "{at_end:?}");
            }
            assert_eq!(dangerous(&format!("{lead}: (plain) prose")), None);
        }
    }

    #[test]
    fn ignores_plain_text() {
        assert_eq!(dangerous("set onload=true in the config"), None);
        assert_eq!(dangerous("<a href=\"https://x\">docs</a> online=yes"), None);
        assert_eq!(dangerous("Evaluates the expression (see evaluation)"), None);
        assert_eq!(dangerous("the online flag"), None);
        assert_eq!(
            dangerous("Add:\n```html\n<script src=x></script>\n```\n"),
            None
        );
        assert_eq!(dangerous("call `eval(x)` never"), None);
    }
}
