import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from '../../google/protobuf/Duration';
/**
 * Input of PollTask.
 */
export interface PollTaskRequest {
    /**
     * The agent name tasks are addressed to (`TaskSpec.agent`).
     */
    'agent'?: (string);
    /**
     * What this agent instance can do (informational; shown in events).
     */
    'capabilities'?: (string)[];
    /**
     * How long to wait for a task (0 = answer at once; at most 60s).
     */
    'wait'?: (_google_protobuf_Duration | null);
    /**
     * This process's own id, for the event log (e.g. hostname:pid).
     */
    'agentInstance'?: (string);
    /**
     * Take up to this many tasks at once, claimed in one transaction (0 or 1 =
     * one; at most 64). The call answers as soon as at least one is ready; each
     * comes with its own lease.
     */
    'maxTasks'?: (number);
}
/**
 * Input of PollTask.
 */
export interface PollTaskRequest__Output {
    /**
     * The agent name tasks are addressed to (`TaskSpec.agent`).
     */
    'agent': (string);
    /**
     * What this agent instance can do (informational; shown in events).
     */
    'capabilities': (string)[];
    /**
     * How long to wait for a task (0 = answer at once; at most 60s).
     */
    'wait': (_google_protobuf_Duration__Output | null);
    /**
     * This process's own id, for the event log (e.g. hostname:pid).
     */
    'agentInstance': (string);
    /**
     * Take up to this many tasks at once, claimed in one transaction (0 or 1 =
     * one; at most 64). The call answers as soon as at least one is ready; each
     * comes with its own lease.
     */
    'maxTasks': (number);
}
