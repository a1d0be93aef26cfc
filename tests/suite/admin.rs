//! AdminService: workspaces and keys without database access, the admin role
//! only, scoped (an admin of `default` administers all, any other admin only
//! its own workspace); the CLI's admin commands with `--server`; completions.

use crate::common;

use std::process::Output;
use std::time::Duration;

use common::{describe, Backend, TestApp, TestDb};
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::admin_service_client::AdminServiceClient;
use tonic::Code;

const BIN: &str = env!("CARGO_BIN_EXE_orchestrator");

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn bin(args: &[&str]) -> Output {
    std::process::Command::new(BIN)
        .args(args)
        .env_remove("ORCHESTRATOR_API_KEY")
        .env_remove("ORCHESTRATOR_DATABASE_URL")
        .output()
        .expect("run the orchestrator binary")
}

fn with_key<T>(body: T, key: &str) -> tonic::Request<T> {
    let mut r = tonic::Request::new(body);
    r.metadata_mut().insert("authorization", format!("Bearer {key}").parse().expect("header"));
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn admins_manage_workspaces_and_keys_over_grpc_within_their_scope() {
    let db = TestDb::new(Backend::Sqlite);
    // Bootstrap: the first admin key straight into the database.
    let o =
        bin(&["key", "create", "--workspace", "default", "--role", "admin", "--database-url", &db.raw_url, "--create"]);
    assert!(o.status.success(), "{}", describe(&o));
    let root = text(&o.stdout).trim().to_string();
    let mut config = common::test_config(&db);
    config.auth_required = true;
    let app = TestApp::start(config).await;
    let server = format!("http://{}", app.addr);
    let cli = |args: &[&str], key: &str| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--server", &server, "--api-key", key]);
        bin(&all)
    };

    // The CLI through AdminService: no database named anywhere.
    let o = cli(&["workspace", "create", "acme"], &root);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    assert!(text(&o.stderr).contains(&format!("server: {server}")), "{}", describe(&o));
    let o = cli(&["key", "create", "--workspace", "acme", "--role", "admin", "--name", "acme-admin"], &root);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let acme_admin = text(&o.stdout).trim().to_string();
    assert!(acme_admin.starts_with("ork_"), "{}", describe(&o));
    let o = cli(&["key", "create", "--workspace", "acme", "--role", "operator"], &acme_admin);
    assert_eq!(o.status.code(), Some(0), "an admin of acme makes acme's keys: {}", describe(&o));
    let acme_operator = text(&o.stdout).trim().to_string();
    let o = cli(&["workspace", "list"], &root);
    let listed = text(&o.stdout);
    assert!(listed.contains("acme  runs=0") && listed.contains("default  runs=0"), "{listed}");
    let o = cli(&["workspace", "list"], &acme_admin);
    assert_eq!(text(&o.stdout).trim(), "acme  runs=0", "{}", describe(&o));
    let o = cli(&["key", "list"], &acme_admin);
    let keys = text(&o.stdout);
    assert_eq!(keys.lines().count(), 2, "only acme's keys: {keys}");
    assert!(keys.lines().all(|l| l.contains(" acme ")), "{keys}");
    assert!(!keys.contains(acme_operator.rsplit('_').next().unwrap_or("?")), "a secret was listed: {keys}");

    // Out of scope: other workspaces, creating workspaces; another workspace's key is not found.
    for args in [
        &["workspace", "create", "evil"][..],
        &["key", "create", "--workspace", "default", "--role", "admin"],
        &["key", "list", "--workspace", "default"],
    ] {
        let o = cli(args, &acme_admin);
        assert_eq!(o.status.code(), Some(3), "{args:?}: {}", describe(&o));
        assert!(text(&o.stderr).contains("PermissionDenied"), "{args:?}: {}", describe(&o));
    }
    let root_id = root.split('_').nth(1).expect("key id").to_string();
    let o = cli(&["key", "revoke", &root_id], &acme_admin);
    assert_eq!(o.status.code(), Some(3), "{}", describe(&o));
    assert!(text(&o.stderr).contains("NotFound"), "{}", describe(&o));

    // Only admins reach AdminService at all.
    let mut admin = AdminServiceClient::new(app.channel().await);
    let e = admin.list_workspaces(with_key(pb::ListWorkspacesRequest {}, &acme_operator)).await.expect_err("operator");
    assert_eq!(e.code(), Code::PermissionDenied, "{e:?}");
    let e = admin.list_keys(pb::ListKeysRequest::default()).await.expect_err("no key");
    assert_eq!(e.code(), Code::Unauthenticated, "{e:?}");

    // Bad input is named.
    for (req, field) in [
        (pb::CreateKeyRequest { workspace: "acme".into(), role: "root".into(), name: String::new() }, "role"),
        (
            pb::CreateKeyRequest { workspace: "Bad Name".into(), role: "viewer".into(), name: String::new() },
            "workspace",
        ),
        (pb::CreateKeyRequest { workspace: "acme".into(), role: "viewer".into(), name: "n".repeat(129) }, "name"),
    ] {
        let e = admin.create_key(with_key(req, &root)).await.expect_err("invalid");
        assert_eq!((e.code(), common::violations(&e)), (Code::InvalidArgument, vec![field.to_string()]), "{e:?}");
    }
    let e = admin.revoke_key(with_key(pb::RevokeKeyRequest { id: "../../etc".into() }, &root)).await.expect_err("id");
    assert_eq!(e.code(), Code::InvalidArgument);
    let e = admin
        .create_workspace(with_key(pb::CreateWorkspaceRequest { name: "acme".into() }, &root))
        .await
        .expect_err("twice");
    assert_eq!(e.code(), Code::AlreadyExists);
    let e = admin
        .create_key(with_key(
            pb::CreateKeyRequest { workspace: "nowhere".into(), role: "viewer".into(), name: String::new() },
            &root,
        ))
        .await
        .expect_err("no such workspace");
    assert_eq!(e.code(), Code::NotFound);

    // A revoked key is refused (after the key cache's second).
    let operator_id = acme_operator.split('_').nth(1).expect("key id").to_string();
    let revoked = admin
        .revoke_key(with_key(pb::RevokeKeyRequest { id: operator_id.clone() }, &acme_admin))
        .await
        .expect("revoke")
        .into_inner();
    assert_eq!((revoked.id.as_str(), revoked.revoked_at.is_some()), (operator_id.as_str(), true));
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let mut runs = app.runs().await;
    let e = runs.list_runs(with_key(pb::ListRunsRequest::default(), &acme_operator)).await.expect_err("revoked");
    assert_eq!(e.code(), Code::Unauthenticated, "{e:?}");
    app.stop().await;
}

#[test]
fn completions_are_valid_scripts() {
    let o = bin(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let script = text(&o.stdout);
    assert!(script.contains("_orchestrator") && script.contains("workspace"), "{script}");
    let path = tempfile::NamedTempFile::new().expect("file");
    std::fs::write(path.path(), &script).expect("write");
    let check = std::process::Command::new("bash").arg("-n").arg(path.path()).output().expect("bash -n");
    assert!(check.status.success(), "bash -n: {}", describe(&check));
    for shell in ["zsh", "fish"] {
        let o = bin(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}: {}", describe(&o));
        assert!(text(&o.stdout).contains("orchestrator"), "{shell}");
    }
    let o = bin(&["completions", "tcsh"]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
}
