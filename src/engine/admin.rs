//! Workspaces and API keys (AdminService), and who administers what.
//!
//! Every call comes with the admin role (the auth layer checks it). An admin
//! of the `default` workspace, the server's own (where callers land when
//! authentication is off), administers every workspace; an admin of any
//! other workspace administers only its own. A key's secret leaves the
//! server once, in the answer that created it; only its hash is stored.

use super::Engine;
use crate::auth::{self, Role};
use crate::domain::ApiKey;
use crate::domain::DEFAULT_WORKSPACE;
use crate::error::{Error, Result};
use crate::store;

/// Whether a workspace name is acceptable: 1–63 characters of a-z, 0-9, '-', '_'.
pub fn valid_workspace_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Whether an admin of workspace `caller` administers workspace `target`.
pub fn administers(caller: &str, target: &str) -> bool {
    caller == DEFAULT_WORKSPACE || caller == target
}

fn check_administers(caller: &str, target: &str) -> Result<()> {
    if administers(caller, target) {
        Ok(())
    } else {
        Err(Error::PermissionDenied(format!(
            "an admin key of workspace {caller:?} administers only that workspace (keys of {DEFAULT_WORKSPACE:?} administer all)"
        )))
    }
}

fn check_workspace_name(field: &str, name: &str) -> Result<()> {
    if valid_workspace_name(name) {
        Ok(())
    } else {
        Err(Error::invalid(field, "a workspace name is 1–63 characters of a-z, 0-9, '-', '_'"))
    }
}

impl Engine {
    /// Creates a workspace (admins of `default` only).
    pub async fn create_workspace(&self, caller: &str, by: &str, name: &str) -> Result<()> {
        check_workspace_name("name", name)?;
        if caller != DEFAULT_WORKSPACE {
            return Err(Error::PermissionDenied(format!(
                "only an admin key of workspace {DEFAULT_WORKSPACE:?} creates workspaces"
            )));
        }
        let n = name.to_string();
        self.store.write(move |tx| store::create_workspace(tx, &n)).await?;
        tracing::info!(workspace = %name, by, "workspace created");
        Ok(())
    }

    /// The workspaces the caller administers, with their number of runs.
    pub async fn list_workspaces(&self, caller: &str) -> Result<Vec<(String, i64)>> {
        // An admin of `default` sees every workspace; any other only its own.
        let only = (caller != DEFAULT_WORKSPACE).then(|| caller.to_string());
        self.store.read(move |c| store::list_workspaces(c, only.as_deref())).await
    }

    /// Makes a key; returns it with its secret (the only time the secret is seen).
    pub async fn create_key(
        &self,
        caller: &str,
        by: &str,
        workspace: &str,
        role: &str,
        name: &str,
    ) -> Result<(ApiKey, String)> {
        check_workspace_name("workspace", workspace)?;
        check_administers(caller, workspace)?;
        let role = Role::parse(role).ok_or_else(|| Error::invalid("role", "one of admin, operator, agent, viewer"))?;
        if name.len() > 128 {
            return Err(Error::invalid("name", "at most 128 bytes"));
        }
        let (row, secret) = auth::new_key(workspace, name, role);
        let stored = row.clone();
        self.store.write(move |tx| store::create_key(tx, stored)).await?;
        tracing::info!(key = %row.id, workspace, role = role.as_str(), by, "API key created");
        Ok((row.into(), secret))
    }

    /// Keys of one workspace, or of every workspace the caller administers.
    pub async fn list_keys(&self, caller: &str, workspace: Option<&str>) -> Result<Vec<ApiKey>> {
        if let Some(w) = workspace {
            check_workspace_name("workspace", w)?;
            check_administers(caller, w)?;
        }
        let scope = workspace.map(str::to_string).or_else(|| (caller != DEFAULT_WORKSPACE).then(|| caller.to_string()));
        let keys = self.store.read(move |c| store::list_keys(c, scope.as_deref())).await?;
        Ok(keys.into_iter().map(ApiKey::from).collect())
    }

    /// Revokes a key the caller administers (another workspace's is NOT_FOUND).
    pub async fn revoke_key(&self, caller: &str, by: &str, id: &str) -> Result<ApiKey> {
        if id.is_empty() || id.len() > 64 || !id.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(Error::invalid("id", "a key id is the hex digits after `ork_`"));
        }
        let key = id.to_string();
        let found = self.store.read(move |c| store::find_key(c, &key)).await?;
        let row = match found {
            Some(r) if administers(caller, &r.workspace_id) => r,
            _ => return Err(Error::NotFound(format!("no key {id:?}"))),
        };
        let key = id.to_string();
        let revoked = self.store.write(move |tx| store::revoke_key(tx, &key)).await?;
        tracing::info!(key = %id, workspace = %row.workspace_id, by, "API key revoked");
        Ok(revoked.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_workspace_administers_all_and_others_only_themselves() {
        assert!(administers("default", "acme"));
        assert!(administers("acme", "acme"));
        assert!(!administers("acme", "default"));
        assert!(!administers("acme", "other"));
        assert!(valid_workspace_name("team-1_a"));
        assert!(!valid_workspace_name("Team") && !valid_workspace_name("") && !valid_workspace_name(&"a".repeat(64)));
    }
}
