import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../google/protobuf/Value';
import type { Usage as _orchestrator_v1_Usage, Usage__Output as _orchestrator_v1_Usage__Output } from '../../orchestrator/v1/Usage';
import type { TaskSpec as _orchestrator_v1_TaskSpec, TaskSpec__Output as _orchestrator_v1_TaskSpec__Output } from '../../orchestrator/v1/TaskSpec';
import type { Repoint as _orchestrator_v1_Repoint, Repoint__Output as _orchestrator_v1_Repoint__Output } from '../../orchestrator/v1/Repoint';
/**
 * Input of CompleteTask.
 */
export interface CompleteTaskRequest {
    /**
     * The lease from the assignment.
     */
    'leaseId'?: (string);
    /**
     * The output (any JSON value; at most 2 MiB).
     */
    'output'?: (_google_protobuf_Value | null);
    /**
     * Cumulative usage of this turn (totals, not deltas; see HeartbeatRequest.usage).
     */
    'usage'?: (_orchestrator_v1_Usage | null);
    /**
     * Names of the tools used in this attempt (see HeartbeatRequest.tools_used).
     */
    'toolsUsed'?: (string)[];
    /**
     * Also claim the next ready task of the same agent (name and instance as the
     * completed attempt), right after the completion and without waiting: the
     * answer then carries it as `next`, which saves the PollTask round trip
     * between tasks. When none is ready (or the completed task went on to be
     * verified), `next` is unset and the agent polls as usual.
     * If the answer is lost, the task it carried is held until its lease runs
     * out and is then retried like any lost attempt.
     */
    'claimNext'?: (boolean);
    /**
     * With `claim_next`: take up to this many next tasks (0 or 1 = one; at most 64).
     */
    'maxNext'?: (number);
    /**
     * Tasks to add to the run (a fan-out of a width known only now), at most
     * 100 per completion. Each is a full TaskSpec with an id new to the run;
     * its `depends_on` may name this task (it then waits for this completion,
     * as any dependent does), tasks spawned in the same call, or existing
     * tasks (not a required one that failed, was skipped or was cancelled).
     * Validated like a plan, over the graph as it would be: no cycle, known
     * agents, the run's task limit, spawns nested at most 4 deep, the run's
     * stored plan within half the message limit, no optional task in a
     * degraded run; every violation at once as INVALID_ARGUMENT, and then the
     * completion is refused whole (nothing is added, the lease stays live). A
     * task with criteria can neither spawn nor re-point. The new
     * tasks' spans hang under this task's; WatchRun sees a `plan.extended`
     * event; GetRun's plan is the graph as it is now.
     */
    'spawn'?: (_orchestrator_v1_TaskSpec)[];
    /**
     * Existing PENDING tasks that wait for this task, given new dependencies
     * (replacing theirs), e.g. a join re-pointed from this task to the tasks
     * it spawns, so that it waits for the whole fan-out and gets their outputs
     * as its inputs. Their own fields are checked again with the new
     * dependencies (an aggregate needs one; a condition counts them).
     */
    'repoint'?: (_orchestrator_v1_Repoint)[];
}
/**
 * Input of CompleteTask.
 */
export interface CompleteTaskRequest__Output {
    /**
     * The lease from the assignment.
     */
    'leaseId': (string);
    /**
     * The output (any JSON value; at most 2 MiB).
     */
    'output': (_google_protobuf_Value__Output | null);
    /**
     * Cumulative usage of this turn (totals, not deltas; see HeartbeatRequest.usage).
     */
    'usage': (_orchestrator_v1_Usage__Output | null);
    /**
     * Names of the tools used in this attempt (see HeartbeatRequest.tools_used).
     */
    'toolsUsed': (string)[];
    /**
     * Also claim the next ready task of the same agent (name and instance as the
     * completed attempt), right after the completion and without waiting: the
     * answer then carries it as `next`, which saves the PollTask round trip
     * between tasks. When none is ready (or the completed task went on to be
     * verified), `next` is unset and the agent polls as usual.
     * If the answer is lost, the task it carried is held until its lease runs
     * out and is then retried like any lost attempt.
     */
    'claimNext': (boolean);
    /**
     * With `claim_next`: take up to this many next tasks (0 or 1 = one; at most 64).
     */
    'maxNext': (number);
    /**
     * Tasks to add to the run (a fan-out of a width known only now), at most
     * 100 per completion. Each is a full TaskSpec with an id new to the run;
     * its `depends_on` may name this task (it then waits for this completion,
     * as any dependent does), tasks spawned in the same call, or existing
     * tasks (not a required one that failed, was skipped or was cancelled).
     * Validated like a plan, over the graph as it would be: no cycle, known
     * agents, the run's task limit, spawns nested at most 4 deep, the run's
     * stored plan within half the message limit, no optional task in a
     * degraded run; every violation at once as INVALID_ARGUMENT, and then the
     * completion is refused whole (nothing is added, the lease stays live). A
     * task with criteria can neither spawn nor re-point. The new
     * tasks' spans hang under this task's; WatchRun sees a `plan.extended`
     * event; GetRun's plan is the graph as it is now.
     */
    'spawn': (_orchestrator_v1_TaskSpec__Output)[];
    /**
     * Existing PENDING tasks that wait for this task, given new dependencies
     * (replacing theirs), e.g. a join re-pointed from this task to the tasks
     * it spawns, so that it waits for the whole fan-out and gets their outputs
     * as its inputs. Their own fields are checked again with the new
     * dependencies (an aggregate needs one; a condition counts them).
     */
    'repoint': (_orchestrator_v1_Repoint__Output)[];
}
