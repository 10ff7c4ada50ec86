use std::sync::Arc;
fn main() {
    for p in std::env::args().skip(1) {
        let text: Arc<str> = Arc::from(std::fs::read_to_string(&p).unwrap());
        let t0 = std::time::Instant::now();
        let syn = rampart::source::Syntax::guess(&p, &text);
        let r = rampart::source::parse(text, syn, &Default::default());
        println!(
            "{p}: {:?} {:?}",
            t0.elapsed(),
            r.map(|(t, pr)| (t.len(), pr.len()))
        );
    }
}
