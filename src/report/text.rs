//! Text that fits its medium: the width of the terminal (80 columns in a
//! pipe or a file), and no colour where the terminal cannot show it.

/// The width a text report wraps at: `COLUMNS` when set (the shell's
/// convention, also the way to get long lines in a pipe), else the
/// terminal's when stdout is one, else 80; never less than 40 (a report
/// squeezed narrower reads worse than one that wraps in the terminal).
pub fn width(stdout_is_terminal: bool) -> usize {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
    {
        return columns.max(40);
    }
    if stdout_is_terminal
        && let Some((terminal_size::Width(columns), _)) = terminal_size::terminal_size()
    {
        return usize::from(columns).max(40);
    }
    80
}

/// The visible width of a line: characters, with ANSI colour codes counted as nothing.
pub fn visible_width(line: &str) -> usize {
    let mut width = 0;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // Skip to the end of the escape sequence (`ESC [ … m`).
            for code in chars.by_ref() {
                if code.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            width += 1;
        }
    }
    width
}

/// Wraps every line longer than `width` at spaces. A continuation line hangs
/// under the start of the line's last column (after its last run of two or
/// more spaces within the first half of the line), else under its text, so
/// tables and indented blocks stay readable. A word longer than the line
/// (a URL, an ARN) is not broken.
pub fn fit(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        if visible_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let hang = hang_indent(body, width);
        let mut current = String::new();
        let mut current_width = 0;
        let leading = body.len() - body.trim_start().len();
        current.push_str(body.get(..leading).unwrap_or_default());
        current_width += leading;
        let mut first_word = true;
        for word in split_keeping_gaps(body.get(leading..).unwrap_or_default()) {
            let word_width = visible_width(word.trim_start());
            let gap = visible_width(word) - word_width;
            if !first_word && current_width + gap + word_width > width {
                out.push_str(current.trim_end());
                out.push('\n');
                current = " ".repeat(hang);
                current_width = hang;
                current.push_str(word.trim_start());
                current_width += word_width;
            } else {
                current.push_str(word);
                current_width += gap + word_width;
            }
            first_word = false;
        }
        out.push_str(current.trim_end());
        out.push_str(newline);
    }
    out
}

/// Splits text into words, each with the spaces before it, so a table's
/// column gaps survive on the first line.
fn split_keeping_gaps(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_word = false;
    for (index, c) in text.char_indices() {
        if c == ' ' {
            if in_word {
                if let Some(part) = text.get(start..index) {
                    parts.push(part);
                }
                start = index;
                in_word = false;
            }
        } else {
            in_word = true;
        }
    }
    if let Some(part) = text.get(start..).filter(|p| !p.trim().is_empty()) {
        parts.push(part);
    }
    parts
}

/// Where continuation lines start: after the last gap of two or more
/// spaces in the first half of the line (a table's last column), else two
/// columns right of the line's indent.
fn hang_indent(line: &str, width: usize) -> usize {
    let leading = line.len() - line.trim_start().len();
    let mut column = 0;
    let mut spaces = 0;
    let mut hang = None;
    for c in line.chars() {
        if column > width / 2 {
            break;
        }
        if c == ' ' {
            spaces += 1;
        } else {
            if spaces >= 2 && column > leading {
                hang = Some(column);
            }
            spaces = 0;
        }
        if c != '\x1b' {
            column += 1;
        }
    }
    hang.unwrap_or(leading + 2)
        .min(width.saturating_sub(20).max(leading))
}

/// True when colour should be off whatever `--color auto` finds: `NO_COLOR`
/// is set, or the terminal says it cannot show it (`TERM=dumb`).
pub fn colour_forbidden() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
        || std::env::var("TERM").is_ok_and(|t| t == "dumb")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_under_their_last_column() {
        let line = "  detection                health check hc-1: RequestInterval 10 s × FailureThreshold 3; worst case adds the 6 s probe timeouts";
        let fitted = fit(line, 60);
        for out in fitted.lines() {
            assert!(visible_width(out) <= 60, "{out:?}");
        }
        let lines: Vec<&str> = fitted.lines().collect();
        assert!(lines[0].starts_with("  detection                health"));
        assert!(lines[1].starts_with(&" ".repeat(27)), "{:?}", lines[1]);
        assert_eq!(
            fitted.split_whitespace().collect::<Vec<_>>(),
            line.split_whitespace().collect::<Vec<_>>()
        );
    }

    #[test]
    fn short_lines_colour_and_long_words_are_kept() {
        assert_eq!(fit("short\n", 80), "short\n");
        let coloured = "\x1b[32m✓\x1b[0m DRG-X ok";
        assert_eq!(visible_width(coloured), 10);
        assert_eq!(fit(coloured, 80), coloured);
        let url = format!("see {}", "x".repeat(100));
        assert!(fit(&url, 40).lines().any(|l| l.len() >= 100));
    }
}
