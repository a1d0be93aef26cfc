//! Recipes in the store: each version a row of its own, numbered in the
//! transaction that adds it (two racing edits: one's insert collides with
//! the other's key, and it runs again as the next version).

use diesel::prelude::*;

use super::models::*;
use super::schema::*;
use super::{with_conn, Conn, Tx};
use crate::error::{Error, Result};

fn not_found(name: &str, version: Option<u32>) -> Error {
    match version {
        Some(v) => Error::NotFound(format!("recipe {name:?} has no version {v}")),
        None => Error::NotFound(format!("recipe {name:?} not found")),
    }
}

/// Adds a version of a recipe (the first, or the next after the last,
/// deleted ones counted: a number is never reused); returns its row.
pub fn add_recipe_version(tx: &mut Tx<'_>, ws: &str, name: &str, spec_json: &str, by: &str) -> Result<RecipeRow> {
    let last: Option<i32> = with_conn!(&mut tx.conn, c => recipes::table
        .filter(recipes::workspace_id.eq(ws))
        .filter(recipes::name.eq(name))
        .select(diesel::dsl::max(recipes::version))
        .get_result(c))?;
    insert_version(tx, ws, name, last.unwrap_or(0) + 1, spec_json, by)
}

/// Inserts a version numbered `version`; a racing edit that took the number
/// makes the transaction run again (and take the next).
fn insert_version(tx: &mut Tx<'_>, ws: &str, name: &str, version: i32, spec_json: &str, by: &str) -> Result<RecipeRow> {
    let have: i64 = with_conn!(&mut tx.conn, c => recipes::table
        .filter(recipes::workspace_id.eq(ws))
        .filter(recipes::deleted_at.is_null())
        .count()
        .get_result(c))?;
    if have >= crate::domain::recipe::MAX_VERSIONS_PER_WORKSPACE as i64 {
        return Err(Error::ResourceExhausted(format!(
            "the workspace has {have} recipe versions, its most: delete a recipe first"
        )));
    }
    let row = RecipeRow {
        workspace_id: ws.to_string(),
        name: name.to_string(),
        version,
        spec_json: spec_json.to_string(),
        created_at: tx.now,
        created_by: by.to_string(),
        deleted_at: None,
    };
    let inserted: Result<usize> =
        with_conn!(&mut tx.conn, c => diesel::insert_into(recipes::table).values(&row).execute(c)).map_err(Error::from);
    match inserted {
        // A concurrent edit took this number: the transaction runs again and takes the next.
        Err(Error::AlreadyExists(_)) => Err(Error::Contention(format!("recipe {name:?} version taken"))),
        r => r.map(|_| row),
    }
}

/// Adds a version of a recipe unless its latest (not deleted) is the same;
/// None when it is. Racing replicas: one adds it, the other's insert
/// collides, runs again and finds it the same.
pub fn add_recipe_version_if_changed(
    tx: &mut Tx<'_>,
    ws: &str,
    name: &str,
    spec_json: &str,
    by: &str,
) -> Result<Option<RecipeRow>> {
    // One read for both the comparison and the next number: under READ
    // COMMITTED a second statement could see a racing replica's version that
    // the first did not, and add the same content again after it.
    let last: Option<(i32, String, Option<i64>)> = with_conn!(&mut tx.conn, c => recipes::table
        .filter(recipes::workspace_id.eq(ws))
        .filter(recipes::name.eq(name))
        .order(recipes::version.desc())
        .select((recipes::version, recipes::spec_json, recipes::deleted_at))
        .first(c)
        .optional())?;
    if let Some((_, json, None)) = &last {
        if json == spec_json {
            return Ok(None);
        }
    }
    insert_version(tx, ws, name, last.map_or(1, |l| l.0 + 1), spec_json, by).map(Some)
}

/// A version of a recipe (None: its latest), not deleted.
pub fn get_recipe(conn: &mut Conn<'_>, ws: &str, name: &str, version: Option<u32>) -> Result<RecipeRow> {
    let live = recipes::table
        .filter(recipes::workspace_id.eq(ws))
        .filter(recipes::name.eq(name))
        .filter(recipes::deleted_at.is_null());
    let row: Option<RecipeRow> = match version {
        Some(v) => with_conn!(conn, c => live
            .filter(recipes::version.eq(v as i32))
            .select(RecipeRow::as_select())
            .get_result(c)
            .optional())?,
        None => with_conn!(conn, c => live
            .order(recipes::version.desc())
            .select(RecipeRow::as_select())
            .first(c)
            .optional())?,
    };
    row.ok_or_else(|| not_found(name, version))
}

/// The versions of a recipe that are not deleted, oldest first.
pub fn recipe_versions(conn: &mut Conn<'_>, ws: &str, names: &[String]) -> Result<Vec<(String, i32, i64)>> {
    Ok(with_conn!(conn, c => recipes::table
        .filter(recipes::workspace_id.eq(ws))
        .filter(recipes::name.eq_any(names))
        .filter(recipes::deleted_at.is_null())
        .order((recipes::name.asc(), recipes::version.asc()))
        .select((recipes::name, recipes::version, recipes::created_at))
        .load(c))?)
}

/// A recipe's latest version with its versions (number, made at), oldest first.
pub type RecipeWithVersions = (RecipeRow, Vec<(i32, i64)>);

/// A page of a workspace's recipes by name (after `after`): each one's
/// latest version, with its versions. Three statements, whatever the page.
pub fn list_recipes(conn: &mut Conn<'_>, ws: &str, after: &str, limit: i64) -> Result<Vec<RecipeWithVersions>> {
    let names: Vec<String> = with_conn!(conn, c => recipes::table
        .filter(recipes::workspace_id.eq(ws))
        .filter(recipes::deleted_at.is_null())
        .filter(recipes::name.gt(after))
        .select(recipes::name)
        .distinct()
        .order(recipes::name.asc())
        .limit(limit)
        .load(c))?;
    let versions = recipe_versions(conn, ws, &names)?;
    // Oldest first per name: the last of each is its latest.
    let mut latest: std::collections::BTreeMap<&str, i32> = std::collections::BTreeMap::new();
    for (n, v, _) in &versions {
        latest.insert(n.as_str(), *v);
    }
    let numbers: Vec<i32> = latest.values().copied().collect();
    let rows: Vec<RecipeRow> = with_conn!(conn, c => recipes::table
        .filter(recipes::workspace_id.eq(ws))
        .filter(recipes::name.eq_any(&names))
        .filter(recipes::version.eq_any(&numbers))
        .filter(recipes::deleted_at.is_null())
        .select(RecipeRow::as_select())
        .load(c))?;
    let mut out: Vec<RecipeWithVersions> = rows
        .into_iter()
        .filter(|r| latest.get(r.name.as_str()) == Some(&r.version))
        .map(|r| {
            let mine = versions.iter().filter(|(n, _, _)| *n == r.name).map(|(_, v, t)| (*v, *t)).collect();
            (r, mine)
        })
        .collect();
    out.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    Ok(out)
}

/// Deletes a recipe (every version): runs made from it keep their plans.
/// Returns how many versions it had.
pub fn delete_recipe(tx: &mut Tx<'_>, ws: &str, name: &str) -> Result<usize> {
    let n = with_conn!(&mut tx.conn, c => diesel::update(
            recipes::table
                .filter(recipes::workspace_id.eq(ws))
                .filter(recipes::name.eq(name))
                .filter(recipes::deleted_at.is_null()),
        )
        .set(recipes::deleted_at.eq(Some(tx.now)))
        .execute(c))?;
    if n == 0 {
        return Err(not_found(name, None));
    }
    Ok(n)
}

/// A run's graph as it ended, for a recipe made from it: every task's spec
/// in plan order (spawned tasks and revisions' included), and the tasks a
/// revision answered or replaced (a recipe leaves them out). Two
/// statements, whatever the run's size.
pub fn final_graph(conn: &mut Conn<'_>, ws: &str, run_id: &str) -> Result<(Vec<crate::domain::TaskSpec>, Vec<String>)> {
    let rows = super::list_tasks(conn, ws, run_id, &[], i64::MAX, i32::MIN)?;
    let specs = rows.iter().map(super::task_spec).collect::<Result<Vec<_>>>()?;
    let revised: Option<(Option<String>, Option<String>)> = with_conn!(conn, c => run_replans::table
        .find(run_id)
        .select((run_replans::revised_tasks, run_replans::replaced_tasks))
        .get_result(c)
        .optional())?;
    let mut left_out = Vec::new();
    for list in revised.into_iter().flat_map(|(a, b)| [a, b]).flatten() {
        left_out.extend(serde_json::from_str::<Vec<String>>(&list)?);
    }
    Ok((specs, left_out))
}
