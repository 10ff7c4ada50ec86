use crate::diagnostic::{Owasp, Severity};
use crate::document::model::{RequestBody, Schema};
use crate::document::{DocumentSet, NodeRef, describe};
use crate::engine::{
    ContentKey, Context, Finding, OperationInfo, Rule, RuleMeta, SchemaUsage, Usage,
};

#[doc = include_str!("../../rules/file-upload-unbounded.md")]
pub struct FileUploadUnbounded;

static META: RuleMeta = RuleMeta {
    id: "file-upload-unbounded",
    aliases: &[],
    summary: "a file upload has no size limit",
    severity: Severity::Warning,
    default_enabled: true,
    owasp: Some(Owasp::Api4UnrestrictedResourceConsumption),
    docs: include_str!("../../rules/file-upload-unbounded.md"),
};

/// Extensions that state a size limit, lower-case without `-` and `_`.
const SIZE_EXTENSIONS: &[&str] = &[
    "xmaxsize",
    "xmaxfilesize",
    "xmaxuploadsize",
    "xmaxbodysize",
    "xmaxcontentlength",
    "xsizelimit",
    "xfilesizelimit",
    "xmaxlength",
];

/// Media types whose body is a file, or carries files.
const UPLOAD_MEDIA_TYPES: &[&str] = &["multipart/form-data", "application/octet-stream"];

/// True when the mapping at `node` has a size extension.
fn has_size_extension(set: &DocumentSet, node: NodeRef) -> bool {
    set.fields(node).any(|(k, _, _)| {
        let k: String = k
            .chars()
            .filter(|c| !matches!(c, '-' | '_'))
            .flat_map(char::to_lowercase)
            .collect();
        SIZE_EXTENSIONS.contains(&k.as_str())
    })
}

/// True when the schema describes file content: `format: binary` (a 2.0 `type: file` reads so) or
/// `contentMediaType`.
fn is_file(schema: &Schema<'_>) -> bool {
    schema.format() == Some("binary") || schema.keyword("contentMediaType").is_some()
}

impl Rule for FileUploadUnbounded {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check_schema(&self, schema: &Schema<'_>, usage: &SchemaUsage<'_>, cx: &mut Context<'_>) {
        if !usage.is_request() || !is_file(schema) || schema.max_length().is_some() {
            return;
        }
        let set = schema.set();
        if has_size_extension(set, schema.node) || has_size_extension(set, schema.site) {
            return;
        }
        let what = describe(set, schema.node);
        let key = set.key_of(schema.node).and_then(|k| set.text(k));
        let structural = matches!(
            key,
            None | Some("schema" | "items" | "additionalProperties")
        );
        let f = match (structural, schema.type_node()) {
            (true, Some(ty)) => Finding::new(ty, String::new(), String::new()),
            _ => Finding::new(schema.node, String::new(), String::new()).on_key(),
        };
        cx.report(
            Finding {
                message: format!("{what} is a file upload without a size limit"),
                help: "add a `maxLength` (in bytes) equal to the largest file you accept, or an `x-max-size` extension, and enforce it before reading the body".into(),
                ..f
            }
            .uses(usage.related_for(Usage::REQUEST))
            .key(ContentKey::Node(schema.node)),
        );
    }

    fn check_request_body(
        &self,
        body: &RequestBody<'_>,
        op: &OperationInfo<'_>,
        cx: &mut Context<'_>,
    ) {
        let set = body.set();
        if body.version().is_v2() || has_size_extension(set, body.node) {
            return;
        }
        for m in body.content(&op.op) {
            let name = m.name.to_ascii_lowercase();
            if m.schema.is_some() || !UPLOAD_MEDIA_TYPES.contains(&name.as_str()) {
                continue;
            }
            if has_size_extension(set, m.node) {
                continue;
            }
            cx.report(
                Finding::new(
                    m.node,
                    format!(
                        "the `{}` request body of {} accepts a file of any size: it has no schema with `maxLength`",
                        m.name,
                        op.label()
                    ),
                    "add a `schema` with `type: string`, `format: binary` and a `maxLength` equal to the largest file you accept",
                )
                .on_key(),
            );
        }
    }
}
