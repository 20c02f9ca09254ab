//! Plain value conversions the validator and the rule loader share.

/// Parses `"99.99%"`, `"99.99"` or `99.99` into a percentage strictly between 0 and 100.
pub fn parse_percent(value: &toml::Value) -> Result<f64, String> {
    let number = match value {
        toml::Value::String(text) => {
            let trimmed = text.trim().trim_end_matches('%').trim();
            trimmed
                .parse::<f64>()
                .map_err(|_| format!("{text:?} is not a percentage"))?
        }
        toml::Value::Float(f) => *f,
        toml::Value::Integer(i) => *i as f64,
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
    Ok(number)
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
