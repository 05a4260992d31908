//! `dct env`: every variable dct reads, whether it is set, and its value unless it is a secret.

use serde_json::json;

use super::Ctx;
use crate::config::ENV_VARS;
use crate::error::Result;
use crate::tabwriter as table;

pub(super) fn run(ctx: &mut Ctx) -> Result<()> {
    let rows: Vec<(&str, Option<String>, bool, &str)> = ENV_VARS
        .iter()
        .map(|v| {
            let value = std::env::var_os(v.name).map(|s| s.to_string_lossy().into_owned());
            (v.name, value, v.secret, v.meaning)
        })
        .collect();
    if ctx.json {
        let items: Vec<_> = rows
            .iter()
            .map(|(name, value, secret, meaning)| {
                json!({
                    "name": name,
                    "set": value.is_some(),
                    "secret": secret,
                    "value": if *secret { None } else { value.clone() },
                    "meaning": meaning,
                })
            })
            .collect();
        return ctx.out_json(&items);
    }
    let mut table = vec![vec![
        "VARIABLE".to_string(),
        "SET".to_string(),
        "VALUE".to_string(),
    ]];
    for (name, value, secret, _) in &rows {
        let shown = match (value, secret) {
            (None, _) => String::new(),
            (Some(_), true) => "(hidden)".to_string(),
            (Some(v), false) => v.clone(),
        };
        let set = if value.is_some() { "yes" } else { "no" };
        table.push(vec![name.to_string(), set.to_string(), shown]);
    }
    ctx.out(&table::layout(&table, 0, 3))
}
