//! Tables laid out like Go's `text/tabwriter` (which notary and docker use), so that our
//! listings line up exactly as theirs do.

/// Lays out `rows` (cells separated by tab stops) as tabwriter(minwidth, padding, ' ') does
/// when every row has the same number of cells: each column but the last is padded to
/// `max(minwidth, widest cell + padding)`.
pub fn layout(rows: &[Vec<String>], minwidth: usize, padding: usize) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                widths[i] = widths[i].max((cell.chars().count() + padding).max(minwidth));
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i] - cell.chars().count();
                out.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn pads_all_but_the_last_column() {
        let rows = vec![
            vec!["ROLE".to_string(), "KEY ID".to_string(), "X".to_string()],
            vec!["root".to_string(), "ab".to_string(), "Y".to_string()],
        ];
        assert_eq!(
            super::layout(&rows, 4, 4),
            "ROLE    KEY ID    X\nroot    ab        Y\n"
        );
    }
}
