//! What a collector hands back.

use crate::snapshot::model::{CollectionGap, RegionSnapshot, Snapshot};

/// What a collector hands back: an edit of the snapshot, the gaps it hit and
/// counts for the progress display.
pub(crate) struct Part {
    pub(super) apply: Box<dyn FnOnce(&mut Snapshot) + Send>,
    pub(super) gaps: Vec<CollectionGap>,
    pub(super) counts: Vec<(&'static str, usize)>,
}

impl Part {
    pub(super) fn new() -> Self {
        Part {
            apply: Box::new(|_| {}),
            gaps: Vec::new(),
            counts: Vec::new(),
        }
    }

    /// Adds an edit of the snapshot.
    pub(super) fn edit(&mut self, edit: impl FnOnce(&mut Snapshot) + Send + 'static) {
        let previous = std::mem::replace(&mut self.apply, Box::new(|_| {}));
        self.apply = Box::new(move |snapshot| {
            previous(snapshot);
            edit(snapshot);
        });
    }

    /// Adds an edit of one region's data.
    pub(super) fn edit_region(
        &mut self,
        region: &str,
        edit: impl FnOnce(&mut RegionSnapshot) + Send + 'static,
    ) {
        let region = region.to_string();
        self.edit(move |snapshot| edit(snapshot.regions.entry(region).or_default()));
    }

    pub(super) fn count(&mut self, what: &'static str, n: usize) {
        self.counts.push((what, n));
    }

    pub(super) fn apply(self, snapshot: &mut Snapshot) {
        (self.apply)(snapshot);
        snapshot.gaps.extend(self.gaps);
    }
}
