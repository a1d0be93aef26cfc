//! Workspaces and API keys (stored hashed).

use diesel::prelude::*;

use super::schema::*;
use super::sql::CachedExt;
use super::{with_conn, Conn, Tx};
use crate::error::{Error, Result};

// ---------------------------------------------------------------- workspaces and keys

/// Creates a workspace (its name is its id).
pub fn create_workspace(tx: &mut Tx<'_>, name: &str) -> Result<()> {
    let exists: i64 =
        with_conn!(&mut tx.conn, c => workspaces::table.filter(workspaces::id.eq(name)).count().get_result(c))?;
    if exists > 0 {
        return Err(Error::AlreadyExists(format!("workspace {name:?} already exists")));
    }
    with_conn!(&mut tx.conn, c => diesel::insert_into(workspaces::table)
        .values((workspaces::id.eq(name), workspaces::name.eq(name), workspaces::created_at.eq(tx.now)))
        .execute(c))?;
    Ok(())
}

/// Workspace names (all, or only one), with their number of runs.
pub fn list_workspaces(conn: &mut Conn<'_>, only: Option<&str>) -> Result<Vec<(String, i64)>> {
    let names: Vec<String> = with_conn!(conn, c => {
        let mut q = workspaces::table.into_boxed();
        if let Some(w) = only {
            q = q.filter(workspaces::id.eq(w));
        }
        q.order(workspaces::id.asc()).select(workspaces::id).load(c)
    })?;
    let mut out = Vec::with_capacity(names.len());
    for n in names {
        let runs: i64 = with_conn!(conn, c => runs::table.filter(runs::workspace_id.eq(&n)).count().get_result(c))?;
        out.push((n, runs));
    }
    Ok(out)
}

/// An API key as stored (its secret only as a hash).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_keys)]
pub struct KeyRow {
    pub id: String,
    pub workspace_id: String,
    pub name: String,
    pub role: String,
    pub key_hash: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

impl From<KeyRow> for crate::domain::ApiKey {
    fn from(k: KeyRow) -> Self {
        crate::domain::ApiKey {
            id: k.id,
            workspace: k.workspace_id,
            role: k.role,
            name: k.name,
            created_at: k.created_at,
            revoked_at: k.revoked_at,
        }
    }
}

/// Stores a key (the workspace must exist).
pub fn create_key(tx: &mut Tx<'_>, row: KeyRow) -> Result<()> {
    let exists: i64 = with_conn!(&mut tx.conn, c => workspaces::table.filter(workspaces::id.eq(&row.workspace_id)).count().get_result(c))?;
    if exists == 0 {
        return Err(Error::NotFound(format!("workspace {:?} does not exist", row.workspace_id)));
    }
    with_conn!(&mut tx.conn, c => diesel::insert_into(api_keys::table).values(&row).cached().run(c))?;
    Ok(())
}

/// Keys, optionally of one workspace.
pub fn list_keys(conn: &mut Conn<'_>, ws: Option<&str>) -> Result<Vec<KeyRow>> {
    with_conn!(conn, c => {
        let mut q = api_keys::table.into_boxed();
        if let Some(ws) = ws {
            q = q.filter(api_keys::workspace_id.eq(ws));
        }
        Ok(q.order(api_keys::created_at.asc()).select(KeyRow::as_select()).load(c)?)
    })
}

/// Revokes a key; returns it as revoked.
pub fn revoke_key(tx: &mut Tx<'_>, id: &str) -> Result<KeyRow> {
    let row = with_conn!(&mut tx.conn, c => diesel::update(api_keys::table.find(id).filter(api_keys::revoked_at.is_null()))
        .set(api_keys::revoked_at.eq(Some(tx.now)))
        .returning(KeyRow::as_returning())
        .get_result(c)
        .optional())?;
    row.ok_or_else(|| Error::NotFound(format!("no active key {id:?}")))
}

/// A key by id.
pub fn find_key(conn: &mut Conn<'_>, id: &str) -> Result<Option<KeyRow>> {
    Ok(with_conn!(conn, c => api_keys::table.find(id).select(KeyRow::as_select()).get_result(c).optional())?)
}
