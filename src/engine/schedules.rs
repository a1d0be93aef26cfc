//! Schedules in the engine: created checked (the clock parsed, the recipe
//! rendered once with the params), read with their next fire times, and
//! fired by the scheduler loop of every replica (the store makes each fire
//! once, see `store::schedules`).

use std::sync::Arc;
use std::time::Duration;

use super::recipes::RecipeRun;
use super::{page, Engine};
use crate::domain::schedule::{self, Clock, Due, FireKind, FireOutcome, FireRecord, ScheduleSpec};
use crate::domain::{now_micros, Micros, Violation};
use crate::error::{Error, Result};
use crate::store::{self, Fire, FireRow, NewRun, ScheduleRow};

/// The longest the scheduler sleeps: a new schedule, a resumed one and an
/// ended run that a buffered fire waits for are seen within it.
const TICK: Duration = Duration::from_millis(250);
/// Schedules taken per pass, and fires per schedule per pass.
const DUE_PER_PASS: i64 = 64;
const FIRES_PER_SCHEDULE: usize = 100;
/// How long a schedule whose clock does not parse here is put off.
const UNPARSABLE_DEFER_MICROS: i64 = 60_000_000;
/// Buffered fires looked at per pass (a window that moves on each pass).
const BUFFERED_PER_PASS: i64 = 256;
/// Next fire times and recent fires a view shows.
const UPCOMING: usize = 5;
const RECENT: i64 = 10;

/// A schedule as answered.
#[derive(Debug, Clone)]
pub struct ScheduleView {
    pub id: String,
    pub spec: ScheduleSpec,
    pub paused: bool,
    pub note: String,
    pub next_fire_times: Vec<Micros>,
    pub recent_fires: Vec<FireRecord>,
    pub missed_fires: u64,
    pub created_at: Micros,
    pub created_by: String,
    pub workspace: String,
}

/// A CreateSchedule request.
#[derive(Debug, Clone)]
pub struct NewSchedule {
    pub id: String,
    pub spec: ScheduleSpec,
    pub paused: bool,
    pub note: String,
}

fn parsed(spec: &ScheduleSpec) -> Result<Clock> {
    Clock::of(spec).map_err(Error::InvalidArgument)
}

/// (next fire time, when it is due) after `t`.
fn next_of(clock: &Clock, key: &str, t: Micros) -> Option<(Micros, Micros)> {
    clock.next_after(t).map(|n| (n, n + clock.jitter(key, n)))
}

/// The key a schedule's jitter is derived from: the same on every replica.
fn jitter_key(ws: &str, id: &str) -> String {
    format!("{ws}/{id}")
}

/// A stored fire as the API shows it.
fn record(f: FireRow) -> FireRecord {
    FireRecord {
        nominal: f.nominal_at,
        kind: FireKind::parse(&f.kind),
        outcome: FireOutcome::parse(&f.outcome),
        run_id: f.run_id,
        detail: f.detail,
        recorded_at: f.updated_at,
    }
}

/// Cron arithmetic off the async threads: a rare pattern can take a while to match.
async fn off_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> Result<R> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::Internal(format!("schedule arithmetic: {e}")))
}

impl Engine {
    /// Creates a schedule, checked whole: its id, clock and window, and its
    /// recipe and params as a fire would render them.
    pub async fn create_schedule(&self, ws: &str, s: NewSchedule, by: &str) -> Result<ScheduleView> {
        let mut violations = schedule::validate(&s.id, &s.spec, &s.note);
        let (spec, key) = (s.spec.clone(), jitter_key(ws, &s.id));
        let now = now_micros();
        let next = off_thread(move || Clock::of(&spec).ok().map(|c| next_of(&c, &key, now))).await?;
        if let Some(None) = next {
            violations.push(Violation::new("spec.cron", "matches no date"));
        }
        if !s.spec.recipe.is_empty() {
            let rendered = match self.fire_spec(ws, &s.id, &s.spec, "check").await {
                Ok(spec) => self.checked_plan(&spec).await.map(|_| ()),
                Err(e) => Err(e),
            };
            match rendered {
                Ok(()) => {}
                Err(Error::InvalidArgument(v)) => violations.extend(v),
                Err(Error::NotFound(m)) => violations.push(Violation::new("recipe", m)),
                Err(e) => return Err(e),
            }
        }
        if !violations.is_empty() {
            return Err(Error::InvalidArgument(violations));
        }
        let next = if s.paused { None } else { next.flatten() };
        let row = ScheduleRow {
            workspace_id: ws.to_string(),
            id: s.id,
            spec_json: serde_json::to_string(&s.spec)?,
            paused: s.paused,
            note: s.note,
            next_fire_at: next.map(|n| n.0),
            next_due_at: next.map(|n| n.1),
            missed_fires: 0,
            created_at: now,
            created_by: by.to_string(),
            updated_at: now,
        };
        let row = self.store.write(move |tx| store::create_schedule(tx, &row)).await?;
        self.schedule_view(row).await
    }

    /// A schedule with its next fire times and recent fires.
    pub async fn get_schedule(&self, ws: &str, id: &str) -> Result<ScheduleView> {
        let (w, i) = (ws.to_string(), id.to_string());
        let row = self.store.read(move |c| store::get_schedule(c, &w, &i)).await?;
        self.schedule_view(row).await
    }

    /// A page of a workspace's schedules by id.
    pub async fn list_schedules(&self, ws: &str, page_size: u32, token: &str) -> Result<(Vec<ScheduleView>, String)> {
        let limit = page::size(page_size, 20, 100, "page_size")?;
        let after = page::decode_name(token)?;
        let w = ws.to_string();
        let rows = self.store.read(move |c| store::list_schedules(c, &w, &after, limit as i64 + 1)).await?;
        let (rows, next) = page::split(rows, limit, |r: &ScheduleRow| page::encode_name(&r.id));
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            views.push(self.schedule_view(row).await?);
        }
        Ok((views, next))
    }

    /// Deletes a schedule and its record of fires.
    pub async fn delete_schedule(&self, ws: &str, id: &str) -> Result<()> {
        let (w, i) = (ws.to_string(), id.to_string());
        self.store.write(move |tx| store::delete_schedule(tx, &w, &i)).await
    }

    /// Pauses (no next fire time) or resumes (the next after now) a schedule.
    pub async fn pause_schedule(&self, ws: &str, id: &str, paused: bool, note: &str) -> Result<ScheduleView> {
        if note.len() > schedule::MAX_NOTE_LEN {
            return Err(Error::invalid("note", format!("longer than {} bytes", schedule::MAX_NOTE_LEN)));
        }
        let current = self.get_schedule(ws, id).await?;
        let next = if paused {
            None
        } else {
            let (spec, key) = (current.spec.clone(), jitter_key(ws, id));
            let now = now_micros();
            off_thread(move || parsed(&spec).map(|c| next_of(&c, &key, now))).await??
        };
        let (w, i, n) = (ws.to_string(), id.to_string(), note.to_string());
        let row = self.store.write(move |tx| store::set_paused(tx, &w, &i, paused, &n, next)).await?;
        self.schedule_view(row).await
    }

    /// Fires a schedule now (once per request id), under its overlap policy.
    pub async fn trigger_schedule(
        &self,
        ws: &str,
        id: &str,
        request_id: Option<String>,
        by: &str,
    ) -> Result<FireRecord> {
        let view = self.get_schedule(ws, id).await?;
        let now = now_micros();
        let rid = request_id.unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
        let key = schedule::fire_key(FireKind::Triggered, now, Some(&rid));
        let fired =
            self.fire_once(ws, id, &view.spec, FireKind::Triggered, key, now, None, view.spec.overlap, by).await?;
        fired
            .map(|(row, _)| record(row))
            .ok_or_else(|| Error::Internal("a trigger found no schedule row to lock".into()))
    }

    /// Fires the fire times in [from, to) not backfilled before, oldest first.
    pub async fn backfill_schedule(
        &self,
        ws: &str,
        id: &str,
        from: Micros,
        to: Micros,
        overlap: Option<schedule::Overlap>,
        by: &str,
    ) -> Result<Vec<FireRecord>> {
        // Fire times to come are the schedule's own to fire, not a backfill's.
        let to = to.min(now_micros());
        if to <= from {
            return Err(Error::invalid("end_time", "after start_time, and start_time before now"));
        }
        let view = self.get_schedule(ws, id).await?;
        let spec = view.spec.clone();
        let (times, more) =
            off_thread(move || parsed(&spec).map(|c| c.between(from, to, schedule::MAX_BACKFILL))).await??;
        if more {
            return Err(Error::invalid(
                "end_time",
                format!("the range holds more than {} fire times: backfill it in parts", schedule::MAX_BACKFILL),
            ));
        }
        let overlap = overlap.unwrap_or(view.spec.overlap);
        let mut fires = Vec::new();
        for t in times {
            let key = schedule::fire_key(FireKind::Backfill, t, None);
            let fired = self.fire_once(ws, id, &view.spec, FireKind::Backfill, key, t, None, overlap, by).await?;
            if let Some((row, true)) = fired {
                fires.push(record(row));
            }
        }
        Ok(fires)
    }

    /// Runs the scheduler until the returned future is dropped.
    pub async fn run_scheduler(self: Arc<Self>) {
        loop {
            let next = match self.schedule_once().await {
                Ok(next) => next,
                Err(e) => {
                    tracing::warn!(error = %e, "scheduler pass failed");
                    None
                }
            };
            let wait = next.map(|t| Duration::from_micros((t - now_micros()).max(0) as u64).min(TICK)).unwrap_or(TICK);
            tokio::time::sleep(wait).await;
        }
    }

    /// One pass: every due fire of every schedule (within its window), then
    /// the buffered fires whose schedule's run ended. Returns when the next
    /// fire is due.
    pub async fn schedule_once(&self) -> Result<Option<Micros>> {
        let now = now_micros();
        let mut failed = false;
        let due = self.store.read(move |c| store::due_schedules(c, now, DUE_PER_PASS)).await?;
        for row in due {
            if let Err(e) = self.tend_schedule(row).await {
                tracing::warn!(error = %e, "could not fire a schedule");
                failed = true;
            }
        }
        // A window of the waiting fires per pass, moving on each pass, so
        // that fires waiting on long runs do not hide the others.
        let offset = self.buffered_window.load(std::sync::atomic::Ordering::Relaxed);
        let buffered = self.store.read(move |c| store::buffered_fires(c, offset, BUFFERED_PER_PASS)).await?;
        let next = if (buffered.len() as i64) < BUFFERED_PER_PASS { 0 } else { offset + BUFFERED_PER_PASS };
        self.buffered_window.store(next, std::sync::atomic::Ordering::Relaxed);
        for fire in buffered {
            let (w, i) = (fire.workspace_id.clone(), fire.schedule_id.clone());
            // A cheap read first: its run is rendered only when it may start.
            match self.store.read(move |c| store::may_start_buffered(c, &w, &i)).await {
                Ok(false) => continue,
                Ok(true) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "could not check a buffered fire");
                    failed = true;
                    continue;
                }
            }
            if let Err(e) = self.start_buffered(fire).await {
                tracing::warn!(error = %e, "could not start a buffered fire");
                failed = true;
            }
        }
        if failed {
            // What failed is still due: the next pass after a tick, not at once.
            return Ok(None);
        }
        self.store.read(store::next_schedule_due).await
    }

    /// Fires a due schedule's due times, oldest first, until one is not due
    /// or another replica fired it first.
    async fn tend_schedule(&self, row: ScheduleRow) -> Result<()> {
        let spec: ScheduleSpec = serde_json::from_str(&row.spec_json)?;
        let (ws, id) = (row.workspace_id.clone(), row.id.clone());
        let key = jitter_key(&ws, &id);
        let Some(mut next) = row.next_fire_at else { return Ok(()) };
        for _ in 0..FIRES_PER_SCHEDULE {
            let (s, k, window) = (spec.clone(), key.clone(), spec.catchup_window_ms);
            let now = now_micros();
            let step = off_thread(move || {
                parsed(&s).map(|c| {
                    let d = schedule::due(&c, &k, next, now, window);
                    let with_due = |t: Option<Micros>| t.map(|t| (t, t + c.jitter(&k, t)));
                    match d {
                        Due::NotYet => (d, None),
                        Due::Fire { then } => (d, with_due(then)),
                        Due::Missed { to, .. } => (d, with_due(to)),
                    }
                })
            })
            .await?;
            let step = match step {
                Ok(step) => step,
                Err(Error::InvalidArgument(v)) => return self.defer_unparsable(&ws, &id, next, v).await,
                Err(e) => return Err(e),
            };
            match step {
                (Due::NotYet, _) => return Ok(()),
                (Due::Missed { missed, .. }, to) => {
                    let (w, i) = (ws.clone(), id.clone());
                    let from = next;
                    if !self.store.write(move |tx| store::skip_missed(tx, &w, &i, from, to, missed)).await? {
                        return Ok(());
                    }
                    tracing::info!(schedule = %id, missed, "fire times older than the catch-up window were missed");
                    match to {
                        Some((t, _)) => next = t,
                        None => return Ok(()),
                    }
                }
                (Due::Fire { .. }, then) => {
                    let fire_key = schedule::fire_key(FireKind::Scheduled, next, None);
                    let by = format!("schedule:{id}");
                    let fired =
                        self.fire_once(&ws, &id, &spec, FireKind::Scheduled, fire_key, next, then, spec.overlap, &by);
                    if fired.await?.is_none() {
                        // Another replica fired this time.
                        return Ok(());
                    }
                    match then {
                        Some((t, _)) => next = t,
                        None => return Ok(()),
                    }
                }
            }
        }
        Ok(())
    }

    /// A stored clock this build cannot parse (written by a newer version,
    /// in a rolling upgrade): its due time is put off a minute, logged, and
    /// nothing else changes, so a replica that parses it fires it (within
    /// the catch-up window) and this one does not spin on it.
    async fn defer_unparsable(&self, ws: &str, id: &str, nominal: Micros, v: Vec<Violation>) -> Result<()> {
        let why: Vec<String> = v.iter().map(|v| format!("{}: {}", v.field, v.description)).collect();
        tracing::warn!(schedule = %id, problems = %why.join("; "), "a schedule's clock does not parse here; put off a minute");
        let (w, i, until) = (ws.to_string(), id.to_string(), now_micros() + UNPARSABLE_DEFER_MICROS);
        self.store.write(move |tx| store::defer_due(tx, &w, &i, nominal, until)).await
    }

    /// Makes one fire: its run made ready (or why it cannot be), then the
    /// store's one transaction. None when another replica fired the time.
    #[allow(clippy::too_many_arguments)]
    async fn fire_once(
        &self,
        ws: &str,
        id: &str,
        spec: &ScheduleSpec,
        kind: FireKind,
        key: String,
        nominal: Micros,
        then: Option<(Micros, Micros)>,
        overlap: schedule::Overlap,
        by: &str,
    ) -> Result<Option<(FireRow, bool)>> {
        let run = self.fire_run(ws, id, spec, &key, by).await?;
        let fire = Arc::new(Fire {
            workspace: ws.to_string(),
            schedule_id: id.to_string(),
            kind,
            key,
            nominal,
            then,
            overlap,
            run,
            by: by.to_string(),
        });
        let fired = match self.store_fire(fire.clone()).await {
            // A refusal that would come again (the run's request id taken,
            // a run to cancel that cannot be): the fire is recorded failed
            // and its time passes, or the schedule would be due forever.
            Err(e) if !e.is_transient() => {
                tracing::warn!(schedule = %id, error = %e, "a fire failed");
                let failed = Fire {
                    workspace: fire.workspace.clone(),
                    schedule_id: fire.schedule_id.clone(),
                    kind: fire.kind,
                    key: fire.key.clone(),
                    nominal: fire.nominal,
                    then: fire.then,
                    overlap: fire.overlap,
                    run: Err(e.to_string()),
                    by: fire.by.clone(),
                };
                self.store_fire(Arc::new(failed)).await?
            }
            r => r?,
        };
        Ok(fired.map(|f| {
            if f.planning {
                self.store.hub().reconcile.notify_one();
            }
            (f.row, f.fresh)
        }))
    }

    async fn store_fire(&self, fire: Arc<Fire>) -> Result<Option<store::Fired>> {
        self.store.write(move |tx| store::fire(tx, &fire)).await
    }

    /// Starts a buffered fire when its schedule's run has ended.
    async fn start_buffered(&self, fire: FireRow) -> Result<()> {
        let (w, i) = (fire.workspace_id.clone(), fire.schedule_id.clone());
        let row = self.store.read(move |c| store::get_schedule(c, &w, &i)).await?;
        let spec: ScheduleSpec = serde_json::from_str(&row.spec_json)?;
        let by = format!("schedule:{}", row.id);
        let run = self.fire_run(&row.workspace_id, &row.id, &spec, &fire.fire_key, &by).await?;
        let fire = Arc::new(fire);
        let started = match self.start_buffered_with(fire.clone(), run).await {
            // As a fire's refusal: recorded failed, or it would be retried forever.
            Err(e) if !e.is_transient() => {
                tracing::warn!(schedule = %row.id, error = %e, "a buffered fire failed");
                self.start_buffered_with(fire, Err(e.to_string())).await?
            }
            r => r?,
        };
        if let Some(f) = started {
            if f.planning {
                self.store.hub().reconcile.notify_one();
            }
        }
        Ok(())
    }

    async fn start_buffered_with(
        &self,
        fire: Arc<FireRow>,
        run: std::result::Result<NewRun, String>,
    ) -> Result<Option<store::Fired>> {
        let run = Arc::new(run);
        self.store.write(move |tx| store::start_buffered(tx, &fire, &run)).await
    }

    /// A fire's run, ready to insert; Err(why) when the recipe, its params
    /// or the workspace's limits refuse it (the fire is then recorded failed).
    async fn fire_run(
        &self,
        ws: &str,
        id: &str,
        spec: &ScheduleSpec,
        key: &str,
        by: &str,
    ) -> Result<std::result::Result<NewRun, String>> {
        let run_spec = match self.fire_spec(ws, id, spec, key).await {
            Ok(s) => s,
            Err(e) if e.is_transient() => return Err(e),
            Err(e) => return Ok(Err(e.to_string())),
        };
        match self.prepare_run(ws, &run_spec, None, by).await {
            Ok((new, _, _)) => Ok(Ok(new)),
            Err(e) if e.is_transient() => Err(e),
            Err(e) => Ok(Err(e.to_string())),
        }
    }

    /// The run spec of a fire: the recipe rendered with the schedule's
    /// params, labelled with the schedule, its request id per fire.
    async fn fire_spec(&self, ws: &str, id: &str, spec: &ScheduleSpec, key: &str) -> Result<crate::domain::RunSpec> {
        let mut labels = spec.labels.clone();
        labels.insert("schedule".into(), id.to_string());
        let r = RecipeRun {
            name: spec.recipe.clone(),
            version: spec.recipe_version,
            params: spec.params.clone(),
            request_id: Some(schedule::run_request_id(id, key)),
            labels,
            ..Default::default()
        };
        self.render_recipe_run(ws, r).await
    }

    async fn schedule_view(&self, row: ScheduleRow) -> Result<ScheduleView> {
        let spec: ScheduleSpec = serde_json::from_str(&row.spec_json)?;
        let next_fire_times = match row.next_fire_at {
            Some(first) if !row.paused => {
                let s = spec.clone();
                off_thread(move || {
                    let mut times = vec![first];
                    if let Ok(c) = Clock::of(&s) {
                        times.extend(c.upcoming(first, UPCOMING - 1));
                    }
                    times
                })
                .await?
            }
            _ => Vec::new(),
        };
        let (w, i) = (row.workspace_id.clone(), row.id.clone());
        let recent_fires = self.store.read(move |c| store::recent_fires(c, &w, &i, RECENT)).await?;
        Ok(ScheduleView {
            id: row.id,
            spec,
            paused: row.paused,
            note: row.note,
            next_fire_times,
            recent_fires: recent_fires.into_iter().map(record).collect(),
            missed_fires: row.missed_fires.max(0) as u64,
            created_at: row.created_at,
            created_by: row.created_by,
            workspace: row.workspace_id,
        })
    }
}
