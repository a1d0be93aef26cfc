//! Opaque page tokens: base64url of a cursor, checked on the way in.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::error::{Error, Result};

const BAD: &str = "malformed page token; pass the next_page_token of the previous page unchanged";

fn decode(token: &str, prefix: &str) -> Result<String> {
    let bytes = URL_SAFE_NO_PAD.decode(token.as_bytes()).map_err(|_| Error::invalid("page_token", BAD))?;
    let text = String::from_utf8(bytes).map_err(|_| Error::invalid("page_token", BAD))?;
    text.strip_prefix(prefix).map(str::to_string).ok_or_else(|| Error::invalid("page_token", BAD))
}

fn encode(text: String) -> String {
    URL_SAFE_NO_PAD.encode(text.as_bytes())
}

/// The page size to use: 0 means the default; above the maximum is refused.
pub fn size(requested: u32, default: u32, max: u32, field: &str) -> Result<u32> {
    match requested {
        0 => Ok(default.min(max)),
        n if n > max => Err(Error::invalid(field, format!("at most {max}"))),
        n => Ok(n),
    }
}

/// Keeps `limit` items and makes the token of the next page from the last
/// kept one, if a further item was fetched.
pub fn split<T>(mut items: Vec<T>, limit: u32, token: impl Fn(&T) -> String) -> (Vec<T>, String) {
    if items.len() > limit as usize {
        items.truncate(limit as usize);
        let next = items.last().map(token).unwrap_or_default();
        (items, next)
    } else {
        (items, String::new())
    }
}

/// Where a page must end so that its items stay within `budget` bytes (by
/// `size`): Some(how many to keep, at least one) when that is fewer than all.
pub fn cut_to_size<T>(items: &[T], budget: usize, size: impl Fn(&T) -> usize) -> Option<usize> {
    let mut total = 0usize;
    for (i, item) in items.iter().enumerate() {
        total = total.saturating_add(size(item));
        if total > budget {
            let keep = i.max(1);
            return (keep < items.len()).then_some(keep);
        }
    }
    None
}

/// Token after a recipe (by name).
pub fn encode_name(name: &str) -> String {
    encode(format!("n:{name}"))
}

/// The name of a recipe-list token ("" before the first).
pub fn decode_name(token: &str) -> Result<String> {
    if token.is_empty() {
        return Ok(String::new());
    }
    decode(token, "n:")
}

/// Token after a run (newest-first order).
pub fn encode_run_cursor(created_at: i64, id: &str) -> String {
    encode(format!("r:{created_at}:{id}"))
}

/// The cursor of a run-list token.
pub fn decode_run_cursor(token: &str) -> Result<Option<(i64, String)>> {
    if token.is_empty() {
        return Ok(None);
    }
    let rest = decode(token, "r:")?;
    let (t, id) = rest.split_once(':').ok_or_else(|| Error::invalid("page_token", BAD))?;
    let t: i64 = t.parse().map_err(|_| Error::invalid("page_token", BAD))?;
    Ok(Some((t, id.to_string())))
}

/// Token after a task position.
pub fn encode_position(p: i32) -> String {
    encode(format!("t:{p}"))
}

/// The position of a task-list token (-1 before the first).
pub fn decode_position(token: &str) -> Result<i32> {
    if token.is_empty() {
        return Ok(-1);
    }
    decode(token, "t:")?.parse().map_err(|_| Error::invalid("page_token", BAD))
}

/// Token after an event sequence number.
pub fn encode_seq(seq: i64) -> String {
    encode(format!("e:{seq}"))
}

/// The sequence number of an event-list token.
pub fn decode_seq(token: &str) -> Result<i64> {
    let n: i64 = decode(token, "e:")?.parse().map_err(|_| Error::invalid("page_token", BAD))?;
    if n < 0 {
        return Err(Error::invalid("page_token", BAD));
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip_and_reject_garbage() {
        assert_eq!(decode_run_cursor(&encode_run_cursor(42, "run_x")).ok(), Some(Some((42, "run_x".into()))));
        assert_eq!(decode_position(&encode_position(7)).ok(), Some(7));
        assert_eq!(decode_seq(&encode_seq(9)).ok(), Some(9));
        for bad in ["!!!", "abc", &encode_seq(3)] {
            assert!(decode_run_cursor(bad).is_err(), "{bad}");
        }
        assert!(decode_position(&encode_seq(1)).is_err());
    }
}
