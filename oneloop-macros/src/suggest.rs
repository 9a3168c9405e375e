//! "Did you mean" suggestions for misspelled names.

/// Returns the candidate closest to `word`, if it is close enough to be a likely typo.
///
/// Case is ignored, so `READ` suggests `read`.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|candidate| (distance(&word, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2 && *distance < candidate.len())
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edit distance counting insertions, deletions, substitutions and swaps of neighbours
/// (optimal string alignment), so `raed` is one edit from `read`.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const FLAGS: [&str; 4] = ["read", "create", "update", "delete"];

    #[test]
    fn swapped_letters_suggest() {
        assert_eq!(closest("raed", &FLAGS), Some("read"));
        assert_eq!(closest("udpate", &FLAGS), Some("update"));
    }

    #[test]
    fn missing_letter_suggests() {
        assert_eq!(closest("delte", &FLAGS), Some("delete"));
        assert_eq!(closest("scop", &["scope"]), Some("scope"));
    }

    #[test]
    fn wrong_case_suggests() {
        assert_eq!(closest("READ", &FLAGS), Some("read"));
        assert_eq!(closest("Delete", &FLAGS), Some("delete"));
    }

    #[test]
    fn unrelated_word_has_no_suggestion() {
        assert_eq!(closest("write", &FLAGS), None);
        assert_eq!(closest("x", &FLAGS), None);
    }
}
