//! The bench's gRPC clients: run creators, counters, watchers.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tokio::task::JoinSet;
use tonic::transport::{Channel, Endpoint};

use orchestrator::domain::{self};
use orchestrator::error::{Error, Result};
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::run_service_client::RunServiceClient;

use super::*;

// ---------------------------------------------------------------- clients

pub(super) async fn connect(addr: SocketAddr) -> Result<Channel> {
    Endpoint::from_shared(format!("http://{addr}"))
        .map_err(|e| Error::Internal(format!("server address {addr}: {e}")))?
        .connect_timeout(Duration::from_secs(5))
        .timeout(RPC_TIMEOUT)
        .tcp_nodelay(true)
        .connect()
        .await
        .map_err(|e| Error::Internal(format!("connecting to the server at {addr}: {e}")))
}

pub(super) fn rpc_error(call: &'static str) -> impl Fn(tonic::Status) -> Error {
    move |s| Error::Internal(format!("{call}: {:?}: {}", s.code(), s.message()))
}

/// Starts creating the runs from `clients.len()` concurrent callers (at once,
/// not when awaited); [`join_creators`] collects them.
pub(super) fn spawn_creators(
    clients: Vec<RunServiceClient<Channel>>,
    requests: Vec<pb::CreateRunRequest>,
) -> JoinSet<Result<(Vec<String>, Instant)>> {
    let k = clients.len().max(1);
    let mut shares: Vec<Vec<pb::CreateRunRequest>> = (0..k).map(|_| Vec::new()).collect();
    for (i, r) in requests.into_iter().enumerate() {
        shares[i % k].push(r);
    }
    let mut set = JoinSet::new();
    for (mut client, share) in clients.into_iter().zip(shares) {
        set.spawn(async move {
            let mut ids = Vec::with_capacity(share.len());
            for req in share {
                let run = client.create_run(req).await.map_err(rpc_error("CreateRun"))?.into_inner().run;
                ids.push(run.map(|r| r.id).unwrap_or_default());
            }
            Ok((ids, Instant::now()))
        });
    }
    set
}

/// The created runs' ids and when the last CreateRun returned.
pub(super) async fn join_creators(
    mut set: JoinSet<Result<(Vec<String>, Instant)>>,
) -> Result<(Vec<String>, Option<Instant>)> {
    let mut ids = Vec::new();
    let mut last: Option<Instant> = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(300);
    loop {
        match tokio::time::timeout_at(deadline, set.join_next()).await {
            Ok(Some(r)) => {
                let (share, at) = r.map_err(|e| Error::Internal(format!("a CreateRun caller failed: {e}")))??;
                ids.extend(share);
                last = Some(last.map_or(at, |l| l.max(at)));
            }
            Ok(None) => return Ok((ids, last)),
            Err(_) => return Err(Error::Internal("the CreateRun callers did not finish within 300 s".into())),
        }
    }
}

/// Counts the runs with this bench label in this status.
pub(super) async fn count_runs(addr: SocketAddr, label: &str, status: pb::RunStatus) -> Result<usize> {
    let mut runs = RunServiceClient::new(connect(addr).await?);
    let mut token = String::new();
    let mut n = 0;
    for _ in 0..10_000 {
        let page = runs
            .list_runs(pb::ListRunsRequest {
                statuses: vec![status as i32],
                labels: HashMap::from([("bench".to_string(), label.to_string())]),
                page_size: 500,
                page_token: token,
                ..Default::default()
            })
            .await
            .map_err(rpc_error("ListRuns"))?
            .into_inner();
        n += page.runs.len();
        if page.next_page_token.is_empty() {
            return Ok(n);
        }
        token = page.next_page_token;
    }
    Err(Error::Internal("ListRuns did not reach its last page".into()))
}

pub(super) async fn cancel_runs(addr: SocketAddr, ids: Vec<String>) -> Result<()> {
    let mut runs = RunServiceClient::new(connect(addr).await?);
    for id in ids {
        runs.cancel_run(pb::CancelRunRequest { run_id: id, reason: "bench finished".into() })
            .await
            .map_err(rpc_error("CancelRun"))?;
    }
    Ok(())
}

pub(super) async fn expect_status(
    runs: &mut RunServiceClient<Channel>,
    run_id: &str,
    want: pb::RunStatus,
) -> Result<()> {
    let run = runs
        .get_run(pb::GetRunRequest { run_id: run_id.into(), ..Default::default() })
        .await
        .map_err(rpc_error("GetRun"))?
        .into_inner();
    if run.status != want as i32 {
        let got = pb::RunStatus::try_from(run.status).map(|s| s.as_str_name()).unwrap_or("?");
        return Err(Error::Internal(format!(
            "run {run_id} is {got} after its tasks were done, expected {} ({})",
            want.as_str_name(),
            run.failure_reason
        )));
    }
    Ok(())
}

/// One WatchRun subscriber: (seq, committed µs, received µs) of every event.
pub(super) async fn watch_one(
    addr: SocketAddr,
    run_id: String,
    base: u64,
    caught_up: Arc<watch::Sender<usize>>,
) -> Result<Vec<(u64, i64, i64)>> {
    let mut runs = RunServiceClient::new(connect(addr).await?);
    let mut stream =
        runs.watch_run(pb::WatchRunRequest { run_id, after_seq: 0 }).await.map_err(rpc_error("WatchRun"))?.into_inner();
    let mut log = Vec::new();
    let mut signalled = false;
    loop {
        let next = tokio::time::timeout(RPC_TIMEOUT, stream.message()).await;
        let event = match next {
            Ok(Ok(Some(e))) => e,
            Ok(Ok(None)) => return Ok(log),
            Ok(Err(s)) => return Err(rpc_error("WatchRun stream")(s)),
            Err(_) => return Err(Error::Internal(format!("a watcher heard nothing for {} s", RPC_TIMEOUT.as_secs()))),
        };
        let received = domain::now_micros();
        let committed = event.time.map(|t| t.seconds * 1_000_000 + i64::from(t.nanos) / 1_000).unwrap_or(received);
        log.push((event.seq, committed, received));
        if !signalled && event.seq >= base {
            signalled = true;
            caught_up.send_modify(|n| *n += 1);
        }
    }
}
