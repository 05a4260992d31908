//! Tables laid out like Go's `text/tabwriter`, so that our listings line up exactly as notary's
//! and docker's do. The two measure a cell differently: Go's own tabwriter (notary's tables)
//! counts runes, while the docker CLI's fork of it (`docker trust inspect --pretty`) counts
//! display columns — two for East Asian wide characters and most emoji, none for combining
//! marks (as checked against docker 28 in tests/it/lookup.rs).

use unicode_width::UnicodeWidthStr;

/// Lays out `rows` (cells separated by tab stops) as Go's tabwriter(minwidth, padding, ' ')
/// does when every row has the same number of cells: each column but the last is padded to
/// `max(minwidth, widest cell + padding)`, a cell's width being its number of runes.
pub fn layout(rows: &[Vec<String>], minwidth: usize, padding: usize) -> String {
    layout_by(rows, minwidth, padding, |c| c.chars().count())
}

/// [`layout`] as the docker CLI's tabwriter does it: a cell's width is its display width.
pub fn layout_docker(rows: &[Vec<String>], minwidth: usize, padding: usize) -> String {
    layout_by(rows, minwidth, padding, UnicodeWidthStr::width)
}

fn layout_by(
    rows: &[Vec<String>],
    minwidth: usize,
    padding: usize,
    width: impl Fn(&str) -> usize,
) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; cols];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i + 1 < row.len() {
                widths[i] = widths[i].max((width(cell) + padding).max(minwidth));
            }
        }
    }
    let mut out = String::new();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            out.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i] - width(cell);
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

    #[test]
    fn runes_for_go_display_columns_for_docker() {
        let rows: Vec<Vec<String>> = ["SIGNED TAG", "x\u{303}y", "日本語", "👍ok", "café"]
            .iter()
            .map(|t| vec![t.to_string(), "d".to_string()])
            .collect();
        // docker 28's `trust inspect --pretty` pads these to 13 columns as 2, 6, 4 and 4 wide.
        assert_eq!(
            super::layout_docker(&rows, 10, 3),
            "SIGNED TAG   d\nx\u{303}y           d\n日本語       d\n👍ok         d\ncafé         d\n"
        );
        assert_eq!(
            super::layout(&rows, 10, 3),
            "SIGNED TAG   d\nx\u{303}y          d\n日本語          d\n👍ok          d\ncafé         d\n"
        );
    }
}
