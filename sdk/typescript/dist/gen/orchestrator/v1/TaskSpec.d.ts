import type { Criterion as _orchestrator_v1_Criterion, Criterion__Output as _orchestrator_v1_Criterion__Output } from '../../orchestrator/v1/Criterion';
import type { RetryPolicy as _orchestrator_v1_RetryPolicy, RetryPolicy__Output as _orchestrator_v1_RetryPolicy__Output } from '../../orchestrator/v1/RetryPolicy';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
import type { TaskKind as _orchestrator_v1_TaskKind, TaskKind__Output as _orchestrator_v1_TaskKind__Output } from '../../orchestrator/v1/TaskKind';
import type { AggregateMode as _orchestrator_v1_AggregateMode, AggregateMode__Output as _orchestrator_v1_AggregateMode__Output } from '../../orchestrator/v1/AggregateMode';
import type { RejectionAction as _orchestrator_v1_RejectionAction, RejectionAction__Output as _orchestrator_v1_RejectionAction__Output } from '../../orchestrator/v1/RejectionAction';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
import type { Condition as _orchestrator_v1_Condition, Condition__Output as _orchestrator_v1_Condition__Output } from '../../orchestrator/v1/Condition';
import type { ChildRun as _orchestrator_v1_ChildRun, ChildRun__Output as _orchestrator_v1_ChildRun__Output } from '../../orchestrator/v1/ChildRun';
/**
 * One task of a plan.
 */
export interface TaskSpec {
    /**
     * Unique within the plan: letters, digits, '-', '_' and '.', at most 128 characters.
     */
    'id'?: (string);
    /**
     * A short human title.
     */
    'title'?: (string);
    /**
     * What the agent is asked to do.
     */
    'instructions'?: (string);
    /**
     * The agent (by name) that executes it; required for TASK_KIND_AGENT.
     */
    'agent'?: (string);
    /**
     * Ids of the tasks whose outputs this task needs; each dependency's output
     * is an input of this task, keyed by the dependency's id.
     */
    'dependsOn'?: (string)[];
    /**
     * Criteria the task's output must satisfy.
     */
    'criteria'?: (_orchestrator_v1_Criterion)[];
    /**
     * How the task is retried; unset fields take the defaults.
     */
    'retry'?: (_orchestrator_v1_RetryPolicy | null);
    /**
     * Per-attempt timeout (for an attempt of several turns, per turn: each
     * runs from its own claim). Default 300s.
     */
    'timeout'?: (_google_protobuf_Duration | null);
    /**
     * Hold the task in WAITING_APPROVAL until ApproveTask or RejectTask.
     */
    'requiresApproval'?: (boolean);
    /**
     * If it fails, its dependents still run (without its output) and the run goes on.
     */
    'optional'?: (boolean);
    /**
     * Higher is dispatched first (after the run's own priority); FIFO within a priority.
     */
    'priority'?: (number);
    /**
     * Agent work or an aggregation.
     */
    'kind'?: (_orchestrator_v1_TaskKind);
    /**
     * How an aggregate task merges outputs.
     */
    'aggregate'?: (_orchestrator_v1_AggregateMode);
    /**
     * Tools the agent may use for this task (the task layer of the tool policy).
     */
    'toolsAllowed'?: (string)[];
    /**
     * Tools the agent must not use for this task.
     */
    'toolsDenied'?: (string)[];
    /**
     * What a rejection at the approval gate does.
     */
    'onReject'?: (_orchestrator_v1_RejectionAction);
    /**
     * Free-form data handed to the agent with the assignment.
     */
    'metadata'?: (_google_protobuf_Struct | null);
    /**
     * Run only when this holds over the task's inputs (its dependencies'
     * outputs); otherwise the task is SKIPPED with the reason as its error, and
     * what follows is the usual rule for a skipped task: an optional one
     * releases its dependents (which run without its output), a required one's
     * dependents are skipped too. Checked when its dependencies are all done,
     * before an approval gate.
     */
    'when'?: (_orchestrator_v1_Condition | null);
    /**
     * Turns an attempt may take (ContinueTask), 1 to 1000; 0 or unset: the
     * server policy's `continuation.max_turns` (default 20). The attempt that
     * asks for more fails, and its task with it (not retried: a fresh attempt
     * would start over and ask again).
     */
    'maxTurns'?: (number);
    /**
     * What a TASK_KIND_RUN task delegates (required for that kind, refused
     * for the others).
     */
    'child'?: (_orchestrator_v1_ChildRun | null);
}
/**
 * One task of a plan.
 */
export interface TaskSpec__Output {
    /**
     * Unique within the plan: letters, digits, '-', '_' and '.', at most 128 characters.
     */
    'id': (string);
    /**
     * A short human title.
     */
    'title': (string);
    /**
     * What the agent is asked to do.
     */
    'instructions': (string);
    /**
     * The agent (by name) that executes it; required for TASK_KIND_AGENT.
     */
    'agent': (string);
    /**
     * Ids of the tasks whose outputs this task needs; each dependency's output
     * is an input of this task, keyed by the dependency's id.
     */
    'dependsOn': (string)[];
    /**
     * Criteria the task's output must satisfy.
     */
    'criteria': (_orchestrator_v1_Criterion__Output)[];
    /**
     * How the task is retried; unset fields take the defaults.
     */
    'retry': (_orchestrator_v1_RetryPolicy__Output | null);
    /**
     * Per-attempt timeout (for an attempt of several turns, per turn: each
     * runs from its own claim). Default 300s.
     */
    'timeout': (_google_protobuf_Duration__Output | null);
    /**
     * Hold the task in WAITING_APPROVAL until ApproveTask or RejectTask.
     */
    'requiresApproval': (boolean);
    /**
     * If it fails, its dependents still run (without its output) and the run goes on.
     */
    'optional': (boolean);
    /**
     * Higher is dispatched first (after the run's own priority); FIFO within a priority.
     */
    'priority': (number);
    /**
     * Agent work or an aggregation.
     */
    'kind': (_orchestrator_v1_TaskKind__Output);
    /**
     * How an aggregate task merges outputs.
     */
    'aggregate': (_orchestrator_v1_AggregateMode__Output);
    /**
     * Tools the agent may use for this task (the task layer of the tool policy).
     */
    'toolsAllowed': (string)[];
    /**
     * Tools the agent must not use for this task.
     */
    'toolsDenied': (string)[];
    /**
     * What a rejection at the approval gate does.
     */
    'onReject': (_orchestrator_v1_RejectionAction__Output);
    /**
     * Free-form data handed to the agent with the assignment.
     */
    'metadata': (_google_protobuf_Struct__Output | null);
    /**
     * Run only when this holds over the task's inputs (its dependencies'
     * outputs); otherwise the task is SKIPPED with the reason as its error, and
     * what follows is the usual rule for a skipped task: an optional one
     * releases its dependents (which run without its output), a required one's
     * dependents are skipped too. Checked when its dependencies are all done,
     * before an approval gate.
     */
    'when': (_orchestrator_v1_Condition__Output | null);
    /**
     * Turns an attempt may take (ContinueTask), 1 to 1000; 0 or unset: the
     * server policy's `continuation.max_turns` (default 20). The attempt that
     * asks for more fails, and its task with it (not retried: a fresh attempt
     * would start over and ask again).
     */
    'maxTurns': (number);
    /**
     * What a TASK_KIND_RUN task delegates (required for that kind, refused
     * for the others).
     */
    'child': (_orchestrator_v1_ChildRun__Output | null);
}
