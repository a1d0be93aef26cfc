import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { TaskSpec as _orchestrator_v1_TaskSpec, TaskSpec__Output as _orchestrator_v1_TaskSpec__Output } from '../../orchestrator/v1/TaskSpec';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../google/protobuf/Value';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct';
/**
 * A leased task handed to an agent.
 */
export interface TaskAssignment {
    /**
     * The run.
     */
    'runId'?: (string);
    /**
     * The task.
     */
    'taskId'?: (string);
    /**
     * The attempt number (1 for the first try).
     */
    'attempt'?: (number);
    /**
     * The lease: pass it to Heartbeat, CompleteTask and FailTask.
     */
    'leaseId'?: (string);
    /**
     * Heartbeat before this or lose the lease.
     */
    'leaseDeadline'?: (_google_protobuf_Timestamp | null);
    /**
     * What to do.
     */
    'spec'?: (_orchestrator_v1_TaskSpec | null);
    /**
     * The outputs of the task's dependencies, keyed by dependency id.
     */
    'inputs'?: ({
        [key: string]: _google_protobuf_Value;
    });
    /**
     * The run's goal.
     */
    'goal'?: (string);
    /**
     * Reasons the previous attempt was rejected, to do better this time.
     */
    'feedback'?: (string)[];
    /**
     * W3C trace context of the attempt's span ("traceparent", "tracestate"),
     * so the agent's own spans join the run's trace.
     */
    'traceContext'?: ({
        [key: string]: string;
    });
    /**
     * The tools the agent may use: the intersection of the allow lists of the
     * server, workspace, agent and task layers, minus every deny. Empty when no
     * layer has an allow list: then every tool not in `denied_tools` is allowed.
     */
    'allowedTools'?: (string)[];
    /**
     * The run's context from CreateRun.
     */
    'context'?: (_google_protobuf_Struct | null);
    /**
     * Tools denied at any layer (deny wins).
     */
    'deniedTools'?: (string)[];
    /**
     * The previous attempt's output when verification rejected it (set with
     * `feedback`, on the attempt's first turn; a later turn gets its
     * `checkpoint`), so that the agent can fix it instead of starting over.
     */
    'previousOutput'?: (_google_protobuf_Value | null);
    /**
     * The turn of the attempt this assignment is (1 for an attempt's first;
     * more after ContinueTask). The lease is this turn's.
     */
    'turn'?: (number);
    /**
     * The checkpoint the attempt's previous turn left (unset on turn 1).
     */
    'checkpoint'?: (_google_protobuf_Value | null);
    /**
     * The most turns this attempt may take.
     */
    'maxTurns'?: (number);
}
/**
 * A leased task handed to an agent.
 */
export interface TaskAssignment__Output {
    /**
     * The run.
     */
    'runId': (string);
    /**
     * The task.
     */
    'taskId': (string);
    /**
     * The attempt number (1 for the first try).
     */
    'attempt': (number);
    /**
     * The lease: pass it to Heartbeat, CompleteTask and FailTask.
     */
    'leaseId': (string);
    /**
     * Heartbeat before this or lose the lease.
     */
    'leaseDeadline': (_google_protobuf_Timestamp__Output | null);
    /**
     * What to do.
     */
    'spec': (_orchestrator_v1_TaskSpec__Output | null);
    /**
     * The outputs of the task's dependencies, keyed by dependency id.
     */
    'inputs': ({
        [key: string]: _google_protobuf_Value__Output;
    });
    /**
     * The run's goal.
     */
    'goal': (string);
    /**
     * Reasons the previous attempt was rejected, to do better this time.
     */
    'feedback': (string)[];
    /**
     * W3C trace context of the attempt's span ("traceparent", "tracestate"),
     * so the agent's own spans join the run's trace.
     */
    'traceContext': ({
        [key: string]: string;
    });
    /**
     * The tools the agent may use: the intersection of the allow lists of the
     * server, workspace, agent and task layers, minus every deny. Empty when no
     * layer has an allow list: then every tool not in `denied_tools` is allowed.
     */
    'allowedTools': (string)[];
    /**
     * The run's context from CreateRun.
     */
    'context': (_google_protobuf_Struct__Output | null);
    /**
     * Tools denied at any layer (deny wins).
     */
    'deniedTools': (string)[];
    /**
     * The previous attempt's output when verification rejected it (set with
     * `feedback`, on the attempt's first turn; a later turn gets its
     * `checkpoint`), so that the agent can fix it instead of starting over.
     */
    'previousOutput': (_google_protobuf_Value__Output | null);
    /**
     * The turn of the attempt this assignment is (1 for an attempt's first;
     * more after ContinueTask). The lease is this turn's.
     */
    'turn': (number);
    /**
     * The checkpoint the attempt's previous turn left (unset on turn 1).
     */
    'checkpoint': (_google_protobuf_Value__Output | null);
    /**
     * The most turns this attempt may take.
     */
    'maxTurns': (number);
}
