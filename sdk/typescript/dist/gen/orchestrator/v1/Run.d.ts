import type { Criterion as _orchestrator_v1_Criterion, Criterion__Output as _orchestrator_v1_Criterion__Output } from '../../orchestrator/v1/Criterion';
import type { Plan as _orchestrator_v1_Plan, Plan__Output as _orchestrator_v1_Plan__Output } from '../../orchestrator/v1/Plan';
import type { Budget as _orchestrator_v1_Budget, Budget__Output as _orchestrator_v1_Budget__Output } from '../../orchestrator/v1/Budget';
import type { Usage as _orchestrator_v1_Usage, Usage__Output as _orchestrator_v1_Usage__Output } from '../../orchestrator/v1/Usage';
import type { RunStatus as _orchestrator_v1_RunStatus, RunStatus__Output as _orchestrator_v1_RunStatus__Output } from '../../orchestrator/v1/RunStatus';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../google/protobuf/Value';
import type { Verdict as _orchestrator_v1_Verdict, Verdict__Output as _orchestrator_v1_Verdict__Output } from '../../orchestrator/v1/Verdict';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { RunPolicy as _orchestrator_v1_RunPolicy, RunPolicy__Output as _orchestrator_v1_RunPolicy__Output } from '../../orchestrator/v1/RunPolicy';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { AgentWait as _orchestrator_v1_AgentWait, AgentWait__Output as _orchestrator_v1_AgentWait__Output } from '../../orchestrator/v1/AgentWait';
import type { RunParent as _orchestrator_v1_RunParent, RunParent__Output as _orchestrator_v1_RunParent__Output } from '../../orchestrator/v1/RunParent';
import type { RecipeRef as _orchestrator_v1_RecipeRef, RecipeRef__Output as _orchestrator_v1_RecipeRef__Output } from '../../orchestrator/v1/RecipeRef';
import type { Long } from '@grpc/proto-loader';
/**
 * A run: one goal turned into a graph of tasks.
 */
export interface Run {
    /**
     * Server-assigned id ("run_" + 32 hex digits).
     */
    'id'?: (string);
    /**
     * The workspace it belongs to.
     */
    'workspace'?: (string);
    /**
     * What the run is for.
     */
    'goal'?: (string);
    /**
     * Criteria checked on the run's aggregated output in VERIFYING.
     */
    'criteria'?: (_orchestrator_v1_Criterion)[];
    /**
     * The task graph (client-supplied, or produced by the planner).
     */
    'plan'?: (_orchestrator_v1_Plan | null);
    /**
     * The run's limits.
     */
    'budget'?: (_orchestrator_v1_Budget | null);
    /**
     * What it has consumed so far.
     */
    'usage'?: (_orchestrator_v1_Usage | null);
    /**
     * Where it is in its lifecycle.
     */
    'status'?: (_orchestrator_v1_RunStatus);
    /**
     * Higher runs are served first.
     */
    'priority'?: (number);
    /**
     * Most attempts of this run that may hold a lease at once.
     */
    'maxParallel'?: (number);
    /**
     * Caller-defined labels.
     */
    'labels'?: ({
        [key: string]: string;
    });
    /**
     * The id of its OpenTelemetry trace (32 hex digits).
     */
    'traceId'?: (string);
    /**
     * The run's output: the output of its sink task (a task no other task
     * depends on), or an object keyed by task id when it has several sinks.
     */
    'output'?: (_google_protobuf_Value | null);
    /**
     * Why it failed, paused or was cancelled.
     */
    'failureReason'?: (string);
    /**
     * The verdict of the run's own criteria, once checked.
     */
    'verdict'?: (_orchestrator_v1_Verdict | null);
    /**
     * When it was accepted.
     */
    'createdAt'?: (_google_protobuf_Timestamp | null);
    /**
     * Last change.
     */
    'updatedAt'?: (_google_protobuf_Timestamp | null);
    /**
     * When execution started.
     */
    'startedAt'?: (_google_protobuf_Timestamp | null);
    /**
     * When it reached a terminal status.
     */
    'finishedAt'?: (_google_protobuf_Timestamp | null);
    /**
     * The idempotency key it was created with, if any.
     */
    'requestId'?: (string);
    /**
     * Number of tasks per status (keys are short TaskStatus names, e.g. "READY").
     */
    'taskCounts'?: ({
        [key: string]: number;
    });
    /**
     * Sequence number of its latest event.
     */
    'lastEventSeq'?: (number | string | Long);
    /**
     * Overrides of the server policy for this run.
     */
    'policy'?: (_orchestrator_v1_RunPolicy | null);
    /**
     * Wall-clock time it has been started and neither PAUSED nor FAILED: what
     * `budget.max_duration` limits (time spent paused or failed is not counted).
     */
    'activeTime'?: (_google_protobuf_Duration | null);
    /**
     * Agents its READY tasks wait for that no instance has polled for lately
     * (in about two minutes): nothing will run them until one does. Filled by
     * GetRun for an EXECUTING run; empty otherwise.
     */
    'waiting'?: (_orchestrator_v1_AgentWait)[];
    /**
     * For a child run, the run and task that delegated to it.
     */
    'parent'?: (_orchestrator_v1_RunParent | null);
    /**
     * The recipe it was made from, if any.
     */
    'recipe'?: (_orchestrator_v1_RecipeRef | null);
}
/**
 * A run: one goal turned into a graph of tasks.
 */
export interface Run__Output {
    /**
     * Server-assigned id ("run_" + 32 hex digits).
     */
    'id': (string);
    /**
     * The workspace it belongs to.
     */
    'workspace': (string);
    /**
     * What the run is for.
     */
    'goal': (string);
    /**
     * Criteria checked on the run's aggregated output in VERIFYING.
     */
    'criteria': (_orchestrator_v1_Criterion__Output)[];
    /**
     * The task graph (client-supplied, or produced by the planner).
     */
    'plan': (_orchestrator_v1_Plan__Output | null);
    /**
     * The run's limits.
     */
    'budget': (_orchestrator_v1_Budget__Output | null);
    /**
     * What it has consumed so far.
     */
    'usage': (_orchestrator_v1_Usage__Output | null);
    /**
     * Where it is in its lifecycle.
     */
    'status': (_orchestrator_v1_RunStatus__Output);
    /**
     * Higher runs are served first.
     */
    'priority': (number);
    /**
     * Most attempts of this run that may hold a lease at once.
     */
    'maxParallel': (number);
    /**
     * Caller-defined labels.
     */
    'labels': ({
        [key: string]: string;
    });
    /**
     * The id of its OpenTelemetry trace (32 hex digits).
     */
    'traceId': (string);
    /**
     * The run's output: the output of its sink task (a task no other task
     * depends on), or an object keyed by task id when it has several sinks.
     */
    'output': (_google_protobuf_Value__Output | null);
    /**
     * Why it failed, paused or was cancelled.
     */
    'failureReason': (string);
    /**
     * The verdict of the run's own criteria, once checked.
     */
    'verdict': (_orchestrator_v1_Verdict__Output | null);
    /**
     * When it was accepted.
     */
    'createdAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * Last change.
     */
    'updatedAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * When execution started.
     */
    'startedAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * When it reached a terminal status.
     */
    'finishedAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * The idempotency key it was created with, if any.
     */
    'requestId': (string);
    /**
     * Number of tasks per status (keys are short TaskStatus names, e.g. "READY").
     */
    'taskCounts': ({
        [key: string]: number;
    });
    /**
     * Sequence number of its latest event.
     */
    'lastEventSeq': (number);
    /**
     * Overrides of the server policy for this run.
     */
    'policy': (_orchestrator_v1_RunPolicy__Output | null);
    /**
     * Wall-clock time it has been started and neither PAUSED nor FAILED: what
     * `budget.max_duration` limits (time spent paused or failed is not counted).
     */
    'activeTime': (_google_protobuf_Duration__Output | null);
    /**
     * Agents its READY tasks wait for that no instance has polled for lately
     * (in about two minutes): nothing will run them until one does. Filled by
     * GetRun for an EXECUTING run; empty otherwise.
     */
    'waiting': (_orchestrator_v1_AgentWait__Output)[];
    /**
     * For a child run, the run and task that delegated to it.
     */
    'parent': (_orchestrator_v1_RunParent__Output | null);
    /**
     * The recipe it was made from, if any.
     */
    'recipe': (_orchestrator_v1_RecipeRef__Output | null);
}
