//! Work made on the worker threads a batch at a time and taken in order on this one.

/// Makes each batch on the worker threads while what the batch before made is handed to `take` on
/// this thread, in order: the sink takes one batch's records while the next batch is walked, and
/// a YAML text's tree is built from the events of some of its regions while the next are parsed.
pub(crate) fn pipelined<B: Send, R: Send>(
    mut batches: impl Iterator<Item = B>,
    make: &(impl Fn(B) -> R + Sync),
    mut take: impl FnMut(R),
) {
    let Some(first) = batches.next() else {
        return;
    };
    let mut ready = make(first);
    loop {
        let next = batches.next();
        let mut made = None;
        rayon::in_place_scope(|scope| {
            if let Some(batch) = next {
                let made = &mut made;
                scope.spawn(move |_| *made = Some(make(batch)));
            }
            take(ready);
        });
        match made {
            Some(made) => ready = made,
            None => return,
        }
    }
}
