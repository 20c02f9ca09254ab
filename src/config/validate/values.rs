//! Plain value conversions the validator and the rule loader share.

/// An availability as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percent {
    /// The value in percent (`99.99`).
    pub value: f64,
    /// True when it was written with a `%` sign.
    pub explicit: bool,
}

/// Below this, an availability must say `%`: `85` is a percentage nobody
/// contracts for, more often a typo than a target.
const EXPLICIT_BELOW: f64 = 90.0;

/// Parses `"99.99%"`, `"99.99"` or `99.99` into a percentage strictly between
/// 0 and 100, never reading a fraction as a percentage: `0.9999` is 0.9999 %,
/// which no contract means, so it is an error that suggests `"99.99%"`; and a
/// value under 90 must say `%`.
pub fn parse_percent(value: &toml::Value) -> Result<Percent, String> {
    let (number, explicit) = match value {
        toml::Value::String(text) => {
            let trimmed = text.trim();
            let explicit = trimmed.ends_with('%');
            let number = trimmed
                .trim_end_matches('%')
                .trim()
                .parse::<f64>()
                .map_err(|_| format!("{text:?} is not a percentage"))?;
            (number, explicit)
        }
        toml::Value::Float(f) => (*f, false),
        toml::Value::Integer(i) => (*i as f64, false),
        other => return Err(format!("expected a percentage, found {}", other.type_str())),
    };
    if !number.is_finite() || number <= 0.0 {
        return Err(format!("{number}% is not a possible availability"));
    }
    if number >= 100.0 {
        return Err(format!(
            "{number}% allows no downtime at all{}",
            if number > 100.0 {
                " (and is more than 100%)"
            } else {
                ""
            }
        ));
    }
    if !explicit && number < 1.0 {
        return Err(format!(
            "{number} reads as {number} %, not as a fraction: did you mean \"{}%\"?",
            format_percent(number * 100.0)
        ));
    }
    if !explicit && number < EXPLICIT_BELOW {
        return Err(format!(
            "{number} without `%` is taken for a typo below {EXPLICIT_BELOW} %: write \"{}%\" if you mean it",
            format_percent(number)
        ));
    }
    Ok(Percent {
        value: number,
        explicit,
    })
}

/// A percentage without float noise: `99.99`, not `99.99000000000001`.
fn format_percent(value: f64) -> String {
    let rounded = (value * 1_000_000.0).round() / 1_000_000.0;
    format!("{rounded}")
}

/// Converts a TOML value to JSON (datetimes become strings).
pub fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    match value {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(items) => {
            serde_json::Value::Array(items.iter().map(toml_to_json).collect())
        }
        toml::Value::Table(table) => serde_json::Value::Object(
            table
                .iter()
                .map(|(k, v)| (k.clone(), toml_to_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Percent, String> {
        parse_percent(&toml::Value::String(text.into()))
    }

    #[test]
    fn a_fraction_is_never_read_as_a_percentage() {
        let err = parse("0.9999").unwrap_err();
        assert!(err.contains("did you mean \"99.99%\""), "{err}");
        let err = parse_percent(&toml::Value::Float(0.999)).unwrap_err();
        assert!(err.contains("\"99.9%\""), "{err}");
        // With `%`, a tiny availability is what it says (and warned about elsewhere).
        assert_eq!(parse("0.5%").unwrap().value, 0.5);
    }

    #[test]
    fn low_values_need_an_explicit_sign() {
        assert!(parse("85").is_err());
        assert_eq!(
            parse("85%").unwrap(),
            Percent {
                value: 85.0,
                explicit: true
            }
        );
        assert_eq!(parse("99.95").unwrap().value, 99.95);
        assert_eq!(
            parse_percent(&toml::Value::Float(99.9)).unwrap().value,
            99.9
        );
        assert!(parse("100%").is_err() && parse("0%").is_err() && parse("abc").is_err());
    }
}
