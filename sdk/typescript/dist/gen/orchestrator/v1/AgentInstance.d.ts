import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
/**
 * An instance of an agent: a process that polled for its tasks.
 */
export interface AgentInstance {
    /**
     * Its id (`PollTaskRequest.agent_instance`; "anonymous" when it gave none).
     */
    'id'?: (string);
    /**
     * The SDK it named in its `x-orchestrator-sdk` header ("python/0.1.0"), if any.
     */
    'sdk'?: (string);
    /**
     * The address it polled from.
     */
    'peer'?: (string);
    /**
     * The server replica it polled.
     */
    'replica'?: (string);
    /**
     * When it last polled (seen by the replicas within a few seconds).
     */
    'lastPoll'?: (_google_protobuf_Timestamp | null);
    /**
     * Attempts it holds now.
     */
    'runningAttempts'?: (number);
}
/**
 * An instance of an agent: a process that polled for its tasks.
 */
export interface AgentInstance__Output {
    /**
     * Its id (`PollTaskRequest.agent_instance`; "anonymous" when it gave none).
     */
    'id': (string);
    /**
     * The SDK it named in its `x-orchestrator-sdk` header ("python/0.1.0"), if any.
     */
    'sdk': (string);
    /**
     * The address it polled from.
     */
    'peer': (string);
    /**
     * The server replica it polled.
     */
    'replica': (string);
    /**
     * When it last polled (seen by the replicas within a few seconds).
     */
    'lastPoll': (_google_protobuf_Timestamp__Output | null);
    /**
     * Attempts it holds now.
     */
    'runningAttempts': (number);
}
