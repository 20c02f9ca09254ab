//! Human durations: `90s`, `15m`, `1h30m`.

/// Parses a duration like `15m`, `90s`, `1h30m` or `2h` into seconds.
///
/// A bare number is rejected: "15" could mean seconds or minutes, and a
/// contract target read in the wrong unit is worse than an error.
pub fn parse_duration(text: &str) -> Result<u64, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty duration".into());
    }
    if text.starts_with('-') {
        return Err("a duration cannot be negative".into());
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    let mut saw_unit = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let factor = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86_400,
            _ => {
                return Err(format!(
                    "unexpected character {c:?}; units are s, m, h and d"
                ));
            }
        };
        if number.is_empty() {
            return Err(format!("unit {c:?} has no number before it"));
        }
        let value: u64 = number.parse().map_err(|_| "number too large".to_string())?;
        total = value
            .checked_mul(factor)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(|| "duration too large".to_string())?;
        number.clear();
        saw_unit = true;
    }
    if !number.is_empty() {
        return Err(if saw_unit {
            format!("{number:?} at the end has no unit")
        } else {
            "a bare number has no unit: write \"900s\" or \"15m\"".into()
        });
    }
    Ok(total)
}

/// Formats seconds the way the parser reads them: `15m`, `1h30m`, `45s`.
pub fn format_duration(seconds: u64) -> String {
    if seconds == 0 {
        return "0s".into();
    }
    let (h, m, s) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_and_combinations() {
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("15m"), Ok(900));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration(" 2h "), Ok(7200));
    }

    #[test]
    fn rejects_negative_bare_and_garbage() {
        assert!(parse_duration("-5m").unwrap_err().contains("negative"));
        assert!(parse_duration("15").unwrap_err().contains("no unit"));
        assert!(parse_duration("5 minutes").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("99999999999999999999h").is_err());
    }

    #[test]
    fn formats_round_trip() {
        for seconds in [0, 45, 60, 900, 5400, 3661] {
            assert_eq!(parse_duration(&format_duration(seconds)), Ok(seconds));
        }
    }
}
