import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
import type { Long } from '@grpc/proto-loader';
/**
 * One entry of a run's append-only event log.
 *
 * Types (the `type` field):
 * run.created, run.status_changed, run.budget_exhausted,
 * task.status_changed, attempt.started, attempt.continued (a turn ended
 * with a request for another: `turn`, `next_turn`, `delay_ms`,
 * `checkpoint_bytes`; RUNNING → CONTINUING), attempt.turn_started (the
 * next turn claimed: `turn`; READY → RUNNING), attempt.heartbeat (with a progress
 * message), attempt.completed, attempt.failed, attempt.lost, attempt.output
 * (stderr and logs), usage.charged, verdict.recorded (with the verify
 * span's `span_id` and the judge's `judge_usage`), task.approved,
 * task.rejected, tool.violation, plan.normalised, plan.extended (a
 * completion added tasks: `tasks`, `repointed` and `previous_depends_on`,
 * on the spawning task), plan.replanning, plan.revised, child_run.started
 * (a TASK_KIND_RUN task's attempt started its child run: `child_run_id`,
 * `depth`, the carved `budget`), cascade.step (a `model: cascade` agent's
 * attempt chose its model: `model`, its `step` of `of` models tried, and
 * the models `skipped` for the task's kind with their `pass_rate` and
 * `samples`), audit, llm.chat (a call to
 * a model: `span_id`, `parent_span_id`, `start_time` and `end_time` in
 * microseconds since the epoch, `status_code`, `status_message` and the
 * span's GenAI `attributes`). GetRunTrace assembles a run's spans from these.
 *
 * Status names in `from_status` / `to_status` are the short names of the
 * RunStatus / TaskStatus values ("EXECUTING", "READY"), as in `Run.task_counts`.
 *
 * One event per transition: every event with a `task_id` and a `to_status`
 * records that task's status change, whatever its type. A claim's one event
 * is its `attempt.started` (READY → RUNNING), a completion's its
 * `attempt.completed` (RUNNING → SUCCEEDED, or → VERIFYING for a task with
 * criteria); every other move of a task is a `task.status_changed`. To follow
 * tasks' statuses, read the statuses of every such event, not one type.
 */
export interface RunEvent {
    /**
     * The run.
     */
    'runId'?: (string);
    /**
     * Position in the run's log: 1, 2, 3, … with no gaps.
     */
    'seq'?: (number | string | Long);
    /**
     * The event type (see above).
     */
    'type'?: (string);
    /**
     * When it was recorded: at the end of its transaction, under its run's
     * lock, just before the commit (on SQLite, whose writer commits the
     * requests that queued up together, at the end of that group: its events
     * share one time). Within a run, time never goes backwards as `seq` grows
     * (up to clock skew between server replicas).
     */
    'time'?: (_google_protobuf_Timestamp | null);
    /**
     * The task it concerns, if any.
     */
    'taskId'?: (string);
    /**
     * The attempt it concerns, if any (0 = none).
     */
    'attempt'?: (number);
    /**
     * For status changes: the previous status name.
     */
    'fromStatus'?: (string);
    /**
     * For status changes: the new status name.
     */
    'toStatus'?: (string);
    /**
     * A human-readable line.
     */
    'message'?: (string);
    /**
     * Type-specific details (usage, verdict, error, …).
     */
    'data'?: (_google_protobuf_Struct | null);
}
/**
 * One entry of a run's append-only event log.
 *
 * Types (the `type` field):
 * run.created, run.status_changed, run.budget_exhausted,
 * task.status_changed, attempt.started, attempt.continued (a turn ended
 * with a request for another: `turn`, `next_turn`, `delay_ms`,
 * `checkpoint_bytes`; RUNNING → CONTINUING), attempt.turn_started (the
 * next turn claimed: `turn`; READY → RUNNING), attempt.heartbeat (with a progress
 * message), attempt.completed, attempt.failed, attempt.lost, attempt.output
 * (stderr and logs), usage.charged, verdict.recorded (with the verify
 * span's `span_id` and the judge's `judge_usage`), task.approved,
 * task.rejected, tool.violation, plan.normalised, plan.extended (a
 * completion added tasks: `tasks`, `repointed` and `previous_depends_on`,
 * on the spawning task), plan.replanning, plan.revised, child_run.started
 * (a TASK_KIND_RUN task's attempt started its child run: `child_run_id`,
 * `depth`, the carved `budget`), cascade.step (a `model: cascade` agent's
 * attempt chose its model: `model`, its `step` of `of` models tried, and
 * the models `skipped` for the task's kind with their `pass_rate` and
 * `samples`), audit, llm.chat (a call to
 * a model: `span_id`, `parent_span_id`, `start_time` and `end_time` in
 * microseconds since the epoch, `status_code`, `status_message` and the
 * span's GenAI `attributes`). GetRunTrace assembles a run's spans from these.
 *
 * Status names in `from_status` / `to_status` are the short names of the
 * RunStatus / TaskStatus values ("EXECUTING", "READY"), as in `Run.task_counts`.
 *
 * One event per transition: every event with a `task_id` and a `to_status`
 * records that task's status change, whatever its type. A claim's one event
 * is its `attempt.started` (READY → RUNNING), a completion's its
 * `attempt.completed` (RUNNING → SUCCEEDED, or → VERIFYING for a task with
 * criteria); every other move of a task is a `task.status_changed`. To follow
 * tasks' statuses, read the statuses of every such event, not one type.
 */
export interface RunEvent__Output {
    /**
     * The run.
     */
    'runId': (string);
    /**
     * Position in the run's log: 1, 2, 3, … with no gaps.
     */
    'seq': (number);
    /**
     * The event type (see above).
     */
    'type': (string);
    /**
     * When it was recorded: at the end of its transaction, under its run's
     * lock, just before the commit (on SQLite, whose writer commits the
     * requests that queued up together, at the end of that group: its events
     * share one time). Within a run, time never goes backwards as `seq` grows
     * (up to clock skew between server replicas).
     */
    'time': (_google_protobuf_Timestamp__Output | null);
    /**
     * The task it concerns, if any.
     */
    'taskId': (string);
    /**
     * The attempt it concerns, if any (0 = none).
     */
    'attempt': (number);
    /**
     * For status changes: the previous status name.
     */
    'fromStatus': (string);
    /**
     * For status changes: the new status name.
     */
    'toStatus': (string);
    /**
     * A human-readable line.
     */
    'message': (string);
    /**
     * Type-specific details (usage, verdict, error, …).
     */
    'data': (_google_protobuf_Struct__Output | null);
}
