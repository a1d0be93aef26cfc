import type { TaskSpec as _orchestrator_v1_TaskSpec, TaskSpec__Output as _orchestrator_v1_TaskSpec__Output } from '../../orchestrator/v1/TaskSpec';
import type { TaskStatus as _orchestrator_v1_TaskStatus, TaskStatus__Output as _orchestrator_v1_TaskStatus__Output } from '../../orchestrator/v1/TaskStatus';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../google/protobuf/Value';
import type { Verdict as _orchestrator_v1_Verdict, Verdict__Output as _orchestrator_v1_Verdict__Output } from '../../orchestrator/v1/Verdict';
import type { Attempt as _orchestrator_v1_Attempt, Attempt__Output as _orchestrator_v1_Attempt__Output } from '../../orchestrator/v1/Attempt';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
/**
 * A task of a run.
 */
export interface Task {
    /**
     * The run it belongs to.
     */
    'runId'?: (string);
    /**
     * Its id within the plan.
     */
    'id'?: (string);
    /**
     * Its specification from the plan.
     */
    'spec'?: (_orchestrator_v1_TaskSpec | null);
    /**
     * Where it is in its lifecycle.
     */
    'status'?: (_orchestrator_v1_TaskStatus);
    /**
     * Its dependencies' outputs, keyed by dependency id (filled when it became READY).
     */
    'inputs'?: ({
        [key: string]: _google_protobuf_Value;
    });
    /**
     * The accepted output.
     */
    'output'?: (_google_protobuf_Value | null);
    /**
     * Attempts started so far.
     */
    'attemptCount'?: (number);
    /**
     * Why it failed or was skipped.
     */
    'error'?: (string);
    /**
     * The verdict of its last verified attempt.
     */
    'verdict'?: (_orchestrator_v1_Verdict | null);
    /**
     * Its attempts, oldest first (GetTask only).
     */
    'attempts'?: (_orchestrator_v1_Attempt)[];
    /**
     * When a scheduled retry (RETRY_SCHEDULED) or the next turn (CONTINUING) becomes READY.
     */
    'retryAt'?: (_google_protobuf_Timestamp | null);
    /**
     * Created with the run.
     */
    'createdAt'?: (_google_protobuf_Timestamp | null);
    /**
     * Last change.
     */
    'updatedAt'?: (_google_protobuf_Timestamp | null);
}
/**
 * A task of a run.
 */
export interface Task__Output {
    /**
     * The run it belongs to.
     */
    'runId': (string);
    /**
     * Its id within the plan.
     */
    'id': (string);
    /**
     * Its specification from the plan.
     */
    'spec': (_orchestrator_v1_TaskSpec__Output | null);
    /**
     * Where it is in its lifecycle.
     */
    'status': (_orchestrator_v1_TaskStatus__Output);
    /**
     * Its dependencies' outputs, keyed by dependency id (filled when it became READY).
     */
    'inputs': ({
        [key: string]: _google_protobuf_Value__Output;
    });
    /**
     * The accepted output.
     */
    'output': (_google_protobuf_Value__Output | null);
    /**
     * Attempts started so far.
     */
    'attemptCount': (number);
    /**
     * Why it failed or was skipped.
     */
    'error': (string);
    /**
     * The verdict of its last verified attempt.
     */
    'verdict': (_orchestrator_v1_Verdict__Output | null);
    /**
     * Its attempts, oldest first (GetTask only).
     */
    'attempts': (_orchestrator_v1_Attempt__Output)[];
    /**
     * When a scheduled retry (RETRY_SCHEDULED) or the next turn (CONTINUING) becomes READY.
     */
    'retryAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * Created with the run.
     */
    'createdAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * Last change.
     */
    'updatedAt': (_google_protobuf_Timestamp__Output | null);
}
