//! Small counts in a cross-tabulation point at people: with a handful of
//! respondents in a cell, "the two teachers of this commune who answered
//! No" are found. A cell of fewer than [`MIN_CELL`] responses (but some)
//! is hidden; so is, in a row or a column where it is the only hidden
//! cell, the smallest other one, or the totals would give it away
//! (secondary suppression), until nothing changes. A line where no other
//! cell can be hidden (the others are empty) hides its total instead.

/// The smallest count shown in a cross-tabulation cell.
pub const MIN_CELL: u64 = 5;

/// Which cells of `counts[row][column]` to hide.
pub fn hidden(counts: &[Vec<u64>]) -> Vec<Vec<bool>> {
    let mut hide: Vec<Vec<bool>> = counts
        .iter()
        .map(|r| r.iter().map(|&c| c > 0 && c < MIN_CELL).collect())
        .collect();
    let rows = counts.len();
    let cols = counts.first().map_or(0, Vec::len);
    loop {
        let mut changed = false;
        // Rows, then columns: a line with exactly one hidden cell hides
        // its smallest other non-empty cell too.
        for i in 0..rows {
            let line: Vec<(usize, usize)> = (0..cols).map(|j| (i, j)).collect();
            changed |= second_cell(counts, &mut hide, &line);
        }
        for j in 0..cols {
            let line: Vec<(usize, usize)> = (0..rows).map(|i| (i, j)).collect();
            changed |= second_cell(counts, &mut hide, &line);
        }
        if !changed {
            return hide;
        }
    }
}

/// Which row totals and column totals to hide, given the hidden cells: a
/// line whose one hidden cell found no partner would give it away.
/// [`hidden_grand_total`] says whether the grand total goes too.
pub fn hidden_totals(hide: &[Vec<bool>]) -> (Vec<bool>, Vec<bool>) {
    let cols = hide.first().map_or(0, Vec::len);
    let rows = hide
        .iter()
        .map(|r| r.iter().filter(|h| **h).count() == 1)
        .collect();
    let columns = (0..cols)
        .map(|j| hide.iter().filter(|r| r[j]).count() == 1)
        .collect();
    (rows, columns)
}

/// Whether to hide the grand total: with a single row (or column) total
/// hidden, the grand total minus the others would give it.
pub fn hidden_grand_total(rows: &[bool], columns: &[bool]) -> bool {
    let one = |l: &[bool]| l.iter().filter(|h| **h).count() == 1;
    one(rows) || one(columns)
}

fn second_cell(counts: &[Vec<u64>], hide: &mut [Vec<bool>], line: &[(usize, usize)]) -> bool {
    if line.iter().filter(|&&(i, j)| hide[i][j]).count() != 1 {
        return false;
    }
    let other = line
        .iter()
        .filter(|&&(i, j)| !hide[i][j] && counts[i][j] > 0)
        .min_by_key(|&&(i, j)| counts[i][j]);
    match other {
        Some(&(i, j)) => {
            hide[i][j] = true;
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cells_and_what_would_reveal_them_are_hidden() {
        // Nothing small: nothing hidden.
        let big = vec![vec![10, 20], vec![30, 40]];
        assert!(hidden(&big).iter().flatten().all(|h| !h));
        // A cell of 2: hidden, and in its row and column the smallest
        // other cell too, so totals do not give it away.
        let counts = vec![vec![2, 20, 9], vec![30, 40, 50], vec![7, 8, 60]];
        let h = hidden(&counts);
        assert!(h[0][0]);
        assert!(h[0][2], "the smallest other in the row: {h:?}");
        assert!(h[2][0], "the smallest other in the column: {h:?}");
        // No line is left with one hidden cell.
        for i in 0..3 {
            assert_ne!(h[i].iter().filter(|x| **x).count(), 1, "row {i}: {h:?}");
            assert_ne!((0..3).filter(|&r| h[r][i]).count(), 1, "column {i}: {h:?}");
        }
        // Zeros stay shown: nobody to point at.
        let zeros = vec![vec![0, 12], vec![15, 0]];
        assert!(hidden(&zeros).iter().flatten().all(|h| !h));
        // A small cell among empty ones: its row's total goes too.
        let lone = vec![vec![0, 1], vec![9, 8]];
        let h = hidden(&lone);
        assert!(h[0][1] && h[1][1] && h[1][0] && !h[0][0], "{h:?}");
        let (rows, columns) = hidden_totals(&h);
        assert_eq!(rows, [true, false]);
        assert_eq!(columns, [true, false]);
        assert!(hidden_grand_total(&rows, &columns));
        assert!(!hidden_grand_total(&[true, true], &[false, false]));
    }
}
