//! Schedules over real gRPC, on both backends: an interval schedule fires
//! each time once; the overlap policies with runs that do not end; pause
//! and resume; a stopped server catches up within the window and not
//! beyond; two replicas on one database fire each time once; triggers,
//! backfills and bad schedules.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::common;

use common::{create, task, test_config, violations, Backend, TestApp, TestDb};
use orchestrator::api::convert::json_to_struct;
use orchestrator::proto::v1 as pb;
use orchestrator::proto::v1::recipe_service_client::RecipeServiceClient;
use orchestrator::proto::v1::schedule_service_client::ScheduleServiceClient;
use serde_json::json;
use tonic::transport::Channel;
use tonic::Code;

both_backends!(
    an_interval_schedule_fires_each_time_once,
    skip_buffer_one_and_cancel_previous_with_runs_that_do_not_end,
    pause_stops_firing_and_resume_starts_again,
    a_stopped_server_catches_up_within_the_window_only,
    two_replicas_fire_each_time_once,
    triggers_backfills_and_bad_schedules
);

const POLICY: &str = "agents:\n  - name: w\n    executor: agent\n";

/// `nightly`: one task for `w` (which nobody serves: its runs do not end
/// unless cancelled); its goal names the `team` parameter.
async fn recipe(app: &TestApp) {
    let mut rec = RecipeServiceClient::new(app.channel().await);
    let req = pb::CreateRecipeRequest {
        name: "nightly".into(),
        parameters: vec![pb::RecipeParameter {
            name: "team".into(),
            description: "whose issues".into(),
            r#type: pb::ParameterType::String as i32,
            default_value: None,
        }],
        template: Some(create("Triage for {{team}}", vec![task("t", "w", &[])])),
        ..Default::default()
    };
    rec.create_recipe(req).await.expect("recipe");
}

async fn schedules(app: &TestApp) -> ScheduleServiceClient<Channel> {
    ScheduleServiceClient::new(app.channel().await)
}

fn every(id: &str, secs: i64, overlap: pb::OverlapPolicy) -> pb::CreateScheduleRequest {
    pb::CreateScheduleRequest {
        schedule_id: id.into(),
        spec: Some(pb::ScheduleSpec {
            trigger: Some(pb::schedule_spec::Trigger::Interval(prost_types::Duration { seconds: secs, nanos: 0 })),
            ..Default::default()
        }),
        recipe: "nightly".into(),
        params: json!({"team": "billing"}).as_object().map(json_to_struct),
        overlap: overlap as i32,
        ..Default::default()
    }
}

async fn get(s: &mut ScheduleServiceClient<Channel>, id: &str) -> pb::Schedule {
    s.get_schedule(pb::GetScheduleRequest { schedule_id: id.into() }).await.expect("get").into_inner()
}

fn secs(t: &Option<prost_types::Timestamp>) -> i64 {
    t.as_ref().expect("a time").seconds
}

/// The schedule's scheduled fires (at most the ten a view shows), oldest first.
fn scheduled(s: &pb::Schedule) -> Vec<pb::ScheduleFire> {
    let mut f: Vec<_> = s.recent_fires.iter().filter(|f| f.kind == pb::FireKind::Scheduled as i32).cloned().collect();
    f.sort_by_key(|f| secs(&f.fire_time));
    f
}

/// The runs labelled with the schedule.
async fn runs_of(app: &TestApp, id: &str) -> Vec<pb::Run> {
    let mut runs = app.runs().await;
    let req = pb::ListRunsRequest {
        labels: [("schedule".to_string(), id.to_string())].into(),
        page_size: 500,
        ..Default::default()
    };
    runs.list_runs(req).await.expect("list").into_inner().runs
}

/// Waits until `done` holds of the schedule, or panics after `secs`.
async fn wait_for(
    s: &mut ScheduleServiceClient<Channel>,
    id: &str,
    secs: u64,
    done: impl Fn(&pb::Schedule) -> bool,
) -> pb::Schedule {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let sc = get(s, id).await;
        if done(&sc) {
            return sc;
        }
        assert!(tokio::time::Instant::now() < deadline, "schedule {id} never got there: {sc:#?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn assert_consecutive(fires: &[pb::ScheduleFire]) {
    let times: Vec<i64> = fires.iter().map(|f| secs(&f.fire_time)).collect();
    for w in times.windows(2) {
        assert_eq!(w[1] - w[0], 1, "one fire per second, none twice, none left out: {times:?}");
    }
}

async fn an_interval_schedule_fires_each_time_once(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, POLICY).await;
    recipe(&app).await;
    let mut s = schedules(&app).await;
    let made = s.create_schedule(every("tick", 1, pb::OverlapPolicy::AllowAll)).await.expect("create").into_inner();
    assert_eq!(made.next_fire_times.len(), 5);
    for w in made.next_fire_times.windows(2) {
        assert_eq!(w[1].seconds - w[0].seconds, 1, "the next five fire times, a second apart");
    }
    let started = tokio::time::Instant::now();
    let sc = wait_for(&mut s, "tick", 15, |sc| scheduled(sc).len() >= 5).await;
    let elapsed = started.elapsed().as_secs_f64();
    let fires = scheduled(&sc);
    // N fires in about N seconds (the first within a second of creating it).
    assert!(elapsed < fires.len() as f64 + 2.0, "{} fires took {elapsed:.1} s", fires.len());
    assert_consecutive(&fires);
    assert!(fires.iter().all(|f| f.outcome == pb::FireOutcome::Started as i32), "{fires:#?}");
    let runs = runs_of(&app, "tick").await;
    let ids: BTreeSet<&str> = fires.iter().map(|f| f.run_id.as_str()).collect();
    assert_eq!(ids.len(), fires.len(), "a run per fire");
    for f in &fires {
        let run = runs.iter().find(|r| r.id == f.run_id).expect("each fire's run is listed by its label");
        assert_eq!(run.goal, "Triage for billing", "the recipe rendered with the schedule's params");
        assert_eq!(run.recipe.as_ref().map(|r| r.name.as_str()), Some("nightly"));
    }
    app.stop().await;
}

async fn skip_buffer_one_and_cancel_previous_with_runs_that_do_not_end(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, POLICY).await;
    recipe(&app).await;
    let mut s = schedules(&app).await;
    let mut runs = app.runs().await;
    for (id, overlap) in [
        ("skip", pb::OverlapPolicy::Skip),
        ("buffer", pb::OverlapPolicy::BufferOne),
        ("cancel", pb::OverlapPolicy::CancelPrevious),
    ] {
        s.create_schedule(every(id, 1, overlap)).await.expect("create");
    }
    let outcome = |f: &pb::ScheduleFire| pb::FireOutcome::try_from(f.outcome).expect("an outcome");
    // skip: one run, then skipped fires while it goes.
    let sc = wait_for(&mut s, "skip", 15, |sc| scheduled(sc).len() >= 4).await;
    let fires = scheduled(&sc);
    assert_eq!(outcome(&fires[0]), pb::FireOutcome::Started);
    assert!(fires[1..].iter().all(|f| outcome(f) == pb::FireOutcome::Skipped), "{fires:#?}");
    assert!(fires[1].detail.contains(&fires[0].run_id), "a skip names the run still going: {}", fires[1].detail);
    assert_eq!(runs_of(&app, "skip").await.len(), 1);
    // buffer_one: one run, one buffered fire, the rest skipped …
    let sc = wait_for(&mut s, "buffer", 15, |sc| scheduled(sc).len() >= 4).await;
    let fires = scheduled(&sc);
    let outcomes: Vec<_> = fires.iter().map(outcome).collect();
    assert_eq!(outcomes[0], pb::FireOutcome::Started);
    assert_eq!(outcomes[1], pb::FireOutcome::Buffered, "{fires:#?}");
    assert!(outcomes[2..].iter().all(|o| *o == pb::FireOutcome::Skipped), "{fires:#?}");
    // … which starts when the run ends.
    let first = fires[0].run_id.clone();
    let buffered_time = fires[1].fire_time;
    runs.cancel_run(pb::CancelRunRequest { run_id: first.clone(), reason: "done with it".into() })
        .await
        .expect("cancel");
    let sc = wait_for(&mut s, "buffer", 10, |sc| {
        sc.recent_fires.iter().any(|f| f.fire_time == buffered_time && f.outcome == pb::FireOutcome::Started as i32)
    })
    .await;
    let late = sc.recent_fires.iter().find(|f| f.fire_time == buffered_time).expect("the buffered fire");
    assert!(!late.run_id.is_empty() && late.run_id != first);
    // cancel_previous: every fire starts a run and cancels the one before.
    let sc = wait_for(&mut s, "cancel", 15, |sc| scheduled(sc).len() >= 3).await;
    let fires = scheduled(&sc);
    assert!(fires.iter().all(|f| outcome(f) == pb::FireOutcome::Started), "{fires:#?}");
    let mut runs_client = app.runs().await;
    let before = runs_client
        .get_run(pb::GetRunRequest { run_id: fires[0].run_id.clone(), ..Default::default() })
        .await
        .expect("run")
        .into_inner();
    assert_eq!(before.status, pb::RunStatus::Cancelled as i32, "the previous run was cancelled");
    let live = runs_of(&app, "cancel").await.into_iter().filter(|r| r.status != pb::RunStatus::Cancelled as i32);
    assert!(live.count() <= 1, "at most one run of a cancel_previous schedule goes at a time");
    app.stop().await;
}

async fn pause_stops_firing_and_resume_starts_again(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, POLICY).await;
    recipe(&app).await;
    let mut s = schedules(&app).await;
    s.create_schedule(every("p", 1, pb::OverlapPolicy::AllowAll)).await.expect("create");
    wait_for(&mut s, "p", 10, |sc| !scheduled(sc).is_empty()).await;
    let paused = s
        .pause_schedule(pb::PauseScheduleRequest { schedule_id: "p".into(), note: "maintenance".into() })
        .await
        .expect("pause")
        .into_inner();
    assert!(paused.paused && paused.next_fire_times.is_empty());
    assert_eq!(paused.note, "maintenance");
    let fired = runs_of(&app, "p").await.len();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(runs_of(&app, "p").await.len(), fired, "a paused schedule does not fire");
    let resumed = s
        .resume_schedule(pb::ResumeScheduleRequest { schedule_id: "p".into(), note: "back".into() })
        .await
        .expect("resume")
        .into_inner();
    assert!(!resumed.paused && !resumed.next_fire_times.is_empty());
    let n = fired;
    wait_for(&mut s, "p", 10, |sc| sc.recent_fires.len() > n).await;
    // The paused seconds were not caught up: no fire time falls in the pause.
    let sc = get(&mut s, "p").await;
    let times: Vec<i64> = scheduled(&sc).iter().map(|f| secs(&f.fire_time)).collect();
    assert!(times.windows(2).any(|w| w[1] - w[0] >= 2), "a gap where it was paused: {times:?}");
    app.stop().await;
}

async fn a_stopped_server_catches_up_within_the_window_only(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, POLICY).await;
    recipe(&app).await;
    let mut s = schedules(&app).await;
    let mut req = every("late", 1, pb::OverlapPolicy::AllowAll);
    req.catchup_window = Some(prost_types::Duration { seconds: 10, nanos: 0 });
    s.create_schedule(req).await.expect("create");
    wait_for(&mut s, "late", 10, |sc| !scheduled(sc).is_empty()).await;
    app.stop().await;
    let stopped = orchestrator::domain::now_micros() / 1_000_000;
    // Down for 14 s with a 10 s window: the latest ~10 fire times fire on
    // start, the ~4 before them are missed.
    tokio::time::sleep(Duration::from_secs(14)).await;
    let mut c = test_config(&db);
    c.policy = orchestrator::config::Policy::parse(POLICY).expect("policy");
    let app = TestApp::start(c).await;
    let restarted = orchestrator::domain::now_micros() / 1_000_000;
    let mut s = schedules(&app).await;
    let sc = wait_for(&mut s, "late", 10, |sc| sc.missed_fires > 0 && scheduled(sc).len() >= 10).await;
    let fires = scheduled(&sc);
    let caught_up: Vec<_> = fires.iter().filter(|f| secs(&f.fire_time) > stopped).cloned().collect();
    assert!(caught_up.len() >= 9, "the fire times within the window fired: {caught_up:#?}");
    assert_consecutive(&caught_up);
    let oldest = secs(&caught_up[0].fire_time);
    assert!(oldest >= restarted - 11, "nothing older than the window fired ({oldest} vs restart {restarted})");
    assert!((2..=6).contains(&sc.missed_fires), "the ones before it were missed: {}", sc.missed_fires);
    app.stop().await;
}

async fn two_replicas_fire_each_time_once(b: Backend) {
    let db = TestDb::new(b);
    let one = TestApp::with_policy(&db, POLICY).await;
    let two = TestApp::with_policy(&db, POLICY).await;
    recipe(&one).await;
    let mut s = schedules(&one).await;
    s.create_schedule(every("both", 1, pb::OverlapPolicy::AllowAll)).await.expect("create");
    let sc = wait_for(&mut s, "both", 15, |sc| scheduled(sc).len() >= 6).await;
    let fires = scheduled(&sc);
    assert_consecutive(&fires);
    let runs = runs_of(&two, "both").await;
    let fired: BTreeSet<&str> = fires.iter().map(|f| f.run_id.as_str()).collect();
    assert_eq!(fired.len(), fires.len(), "a run per fire");
    // Every run of the schedule is some fire's: none made twice.
    let oldest = secs(&fires[0].fire_time);
    let newest = secs(&fires[fires.len() - 1].fire_time);
    let in_range: Vec<_> = runs
        .iter()
        .filter(|r| {
            let t = r.created_at.as_ref().map(|t| t.seconds).unwrap_or_default();
            t >= oldest && t <= newest
        })
        .collect();
    assert!(in_range.iter().all(|r| fired.contains(r.id.as_str())), "no run of the schedule but its fires'");
    one.stop().await;
    two.stop().await;
}

async fn triggers_backfills_and_bad_schedules(b: Backend) {
    let db = TestDb::new(b);
    let app = TestApp::with_policy(&db, POLICY).await;
    recipe(&app).await;
    let mut s = schedules(&app).await;
    let mut hourly = every("hourly", 3600, pb::OverlapPolicy::AllowAll);
    hourly.labels.insert("team".into(), "billing".into());
    let made = s.create_schedule(hourly.clone()).await.expect("create").into_inner();
    assert_eq!(made.next_fire_times[0].seconds % 3600, 0, "on the hour");
    let again = s.create_schedule(hourly).await.expect_err("a taken id");
    assert_eq!(again.code(), Code::AlreadyExists);

    // A trigger fires now, once per request id.
    let t = |rid: &str| pb::TriggerScheduleRequest { schedule_id: "hourly".into(), request_id: rid.into() };
    let first = s.trigger_schedule(t("r1")).await.expect("trigger").into_inner().fire.expect("fire");
    assert_eq!(first.outcome, pb::FireOutcome::Started as i32);
    assert_eq!(first.kind, pb::FireKind::Triggered as i32);
    let retry = s.trigger_schedule(t("r1")).await.expect("retry").into_inner().fire.expect("fire");
    assert_eq!(retry.run_id, first.run_id, "a retried trigger is the same fire");
    let other = s.trigger_schedule(t("r2")).await.expect("another").into_inner().fire.expect("fire");
    assert_ne!(other.run_id, first.run_id);
    let run = app
        .runs()
        .await
        .get_run(pb::GetRunRequest { run_id: first.run_id.clone(), ..Default::default() })
        .await
        .expect("the run")
        .into_inner();
    assert_eq!(run.labels.get("schedule").map(String::as_str), Some("hourly"));
    assert_eq!(run.labels.get("team").map(String::as_str), Some("billing"));

    // A backfill fires each hour of the range once, oldest first; again, none.
    let at = |s: i64| Some(prost_types::Timestamp { seconds: s, nanos: 0 });
    let day = 1_767_225_600; // 2026-01-01T00:00:00Z
    let backfill = |from: i64, to: i64| pb::BackfillScheduleRequest {
        schedule_id: "hourly".into(),
        start_time: at(from),
        end_time: at(to),
        overlap: pb::OverlapPolicy::AllowAll as i32,
    };
    let fires = s.backfill_schedule(backfill(day, day + 3 * 3600)).await.expect("backfill").into_inner().fires;
    let times: Vec<i64> = fires.iter().map(|f| secs(&f.fire_time)).collect();
    assert_eq!(times, vec![day, day + 3600, day + 7200]);
    assert!(fires.iter().all(|f| f.kind == pb::FireKind::Backfill as i32 && !f.run_id.is_empty()));
    let twice = s.backfill_schedule(backfill(day, day + 3 * 3600)).await.expect("again").into_inner().fires;
    assert!(twice.is_empty(), "times backfilled before do not fire again");
    let e = s.backfill_schedule(backfill(day, day + 2000 * 3600)).await.expect_err("too many");
    assert_eq!(e.code(), Code::InvalidArgument);
    let e = s.backfill_schedule(backfill(day, day)).await.expect_err("empty range");
    assert_eq!(e.code(), Code::InvalidArgument);
    // Times to come are the schedule's to fire: a range after now is refused.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs() as i64;
    let e = s.backfill_schedule(backfill(now + 3600, now + 7200)).await.expect_err("the future");
    assert_eq!(violations(&e), ["end_time"], "{}", e.message());
    // A client cannot take a scheduled run's request id (it would take the fire's run).
    let mut forged = create("forged", vec![task("t", "w", &[])]);
    forged.request_id = orchestrator::domain::schedule::run_request_id("hourly", "scheduled:1");
    let e = app.runs().await.create_run(forged).await.expect_err("reserved");
    assert_eq!(violations(&e), ["request_id"], "{}", e.message());

    // Bad schedules: every violation named at once.
    let mut bad = every("bad id!", 3600, pb::OverlapPolicy::Skip);
    bad.spec = Some(pb::ScheduleSpec {
        trigger: Some(pb::schedule_spec::Trigger::Cron("61 * * * *".into())),
        time_zone: "Mars/Olympus".into(),
        jitter: Some(prost_types::Duration { seconds: 7200, nanos: 0 }),
    });
    bad.catchup_window = Some(prost_types::Duration { seconds: 1, nanos: 0 });
    let e = s.create_schedule(bad).await.expect_err("bad");
    assert_eq!(e.code(), Code::InvalidArgument);
    let fields = violations(&e);
    for f in ["schedule_id", "spec.time_zone", "spec.jitter", "catchup_window"] {
        assert!(fields.iter().any(|x| x == f), "{f} in {fields:?}");
    }
    let mut cron = every("cron", 1, pb::OverlapPolicy::Skip);
    cron.spec = Some(pb::ScheduleSpec {
        trigger: Some(pb::schedule_spec::Trigger::Cron("61 * * * *".into())),
        ..Default::default()
    });
    assert_eq!(violations(&s.create_schedule(cron.clone()).await.expect_err("bad cron")), vec!["spec.cron"]);
    cron.spec = Some(pb::ScheduleSpec {
        trigger: Some(pb::schedule_spec::Trigger::Cron("0 0 30 2 *".into())),
        ..Default::default()
    });
    assert_eq!(violations(&s.create_schedule(cron.clone()).await.expect_err("never")), vec!["spec.cron"]);
    let mut unknown = every("u", 60, pb::OverlapPolicy::Skip);
    unknown.recipe = "nope".into();
    assert_eq!(violations(&s.create_schedule(unknown).await.expect_err("no recipe")), vec!["recipe"]);
    let mut params = every("p", 60, pb::OverlapPolicy::Skip);
    params.params = json!({"team": 3, "extra": true}).as_object().map(json_to_struct);
    let fields = violations(&s.create_schedule(params).await.expect_err("bad params"));
    assert!(fields.iter().any(|f| f == "params.team") && fields.iter().any(|f| f == "params.extra"), "{fields:?}");
    let mut none = every("n", 60, pb::OverlapPolicy::Skip);
    none.spec = None;
    assert_eq!(violations(&s.create_schedule(none).await.expect_err("no spec")), vec!["spec"]);
    let e = s.get_schedule(pb::GetScheduleRequest { schedule_id: "never-made".into() }).await.expect_err("unknown");
    assert_eq!(e.code(), Code::NotFound);

    // A list shows each with its next fire times; delete leaves the runs.
    let listed = s.list_schedules(pb::ListSchedulesRequest::default()).await.expect("list").into_inner();
    assert_eq!(listed.schedules.iter().map(|s| s.schedule_id.as_str()).collect::<Vec<_>>(), vec!["hourly"]);
    assert_eq!(listed.schedules[0].next_fire_times.len(), 5);
    assert!(listed.schedules[0].recent_fires.len() >= 5);
    let e = s.list_schedules(pb::ListSchedulesRequest { page_size: 101, ..Default::default() }).await;
    assert_eq!(e.expect_err("page too big").code(), Code::InvalidArgument);
    s.delete_schedule(pb::DeleteScheduleRequest { schedule_id: "hourly".into() }).await.expect("delete");
    let e = s.get_schedule(pb::GetScheduleRequest { schedule_id: "hourly".into() }).await.expect_err("gone");
    assert_eq!(e.code(), Code::NotFound);
    assert!(runs_of(&app, "hourly").await.len() >= 5, "its runs stay");
    app.stop().await;
}

/// A workspace has at most 1,000 schedules: the next is RESOURCE_EXHAUSTED
/// until one is deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_workspace_has_at_most_a_thousand_schedules() {
    let db = TestDb::new(Backend::Sqlite);
    let app = TestApp::with_policy(&db, POLICY).await;
    recipe(&app).await;
    let s = schedules(&app).await;
    let make = |n: usize| {
        let mut s = s.clone();
        async move {
            let mut r = every(&format!("s-{n}"), 3600, pb::OverlapPolicy::Skip);
            r.paused = true;
            s.create_schedule(r).await.map(|_| ())
        }
    };
    for n in 0..orchestrator::domain::schedule::MAX_PER_WORKSPACE {
        make(n).await.expect("within the quota");
    }
    let e = make(100_000).await.expect_err("over the quota");
    assert_eq!(e.code(), Code::ResourceExhausted, "{}", e.message());
    let mut s2 = s.clone();
    s2.delete_schedule(pb::DeleteScheduleRequest { schedule_id: "s-0".into() }).await.expect("delete");
    make(100_000).await.expect("room again");
    app.stop().await;
}
