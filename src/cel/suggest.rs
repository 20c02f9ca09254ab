//! "Did you mean …?": the known name closest to a typo.

/// The known name closest to `name`, if it is plausibly a typo.
pub fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance, one row at a time.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        let mut left = i + 1;
        current.push(left);
        // `previous` has one more entry than `b`: pairs (diagonal, above).
        for (cb, pair) in b.iter().zip(previous.windows(2)) {
            let (diagonal, above) = match pair {
                [d, u] => (*d, *u),
                _ => break,
            };
            left = (diagonal + usize::from(ca != *cb))
                .min(above + 1)
                .min(left + 1);
            current.push(left);
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("resorce", "resource"), 1);
        assert_eq!(edit_distance("resource", "resorce"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn closest_suggests_only_plausible_typos() {
        let known = ["resource", "snapshot", "targets"];
        assert_eq!(closest("resorce", known.iter().copied()), Some("resource"));
        assert_eq!(closest("zzz", known.iter().copied()), None);
    }
}
