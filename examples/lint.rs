fn main() {
    let req = rampart::LintRequest {
        paths: std::env::args().skip(1).collect(),
        ..Default::default()
    };
    let r = rampart::lint(&req);
    for d in &r.diagnostics {
        println!(
            "{}:{}:{}: {}[{}] {}  ({})",
            d.location.path,
            d.location.start.line,
            d.location.start.column,
            d.severity,
            d.rule,
            d.message,
            d.location.pointer
        );
        for rel in &d.related {
            println!(
                "    related {}:{} {}",
                rel.location.path, rel.location.start.line, rel.message
            );
        }
    }
    eprintln!(
        "{} diagnostics, {} files, {:?}",
        r.diagnostics.len(),
        r.files.len(),
        r.elapsed
    );
}
