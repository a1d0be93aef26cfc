import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
/**
 * Ready tasks of a run waiting for an agent nobody serves.
 */
export interface AgentWait {
    /**
     * The agent the tasks name.
     */
    'agent'?: (string);
    /**
     * How many of the run's tasks are READY for it.
     */
    'readyTasks'?: (number);
    /**
     * When an instance of it last polled in the run's workspace; unset: never.
     */
    'lastPoll'?: (_google_protobuf_Timestamp | null);
}
/**
 * Ready tasks of a run waiting for an agent nobody serves.
 */
export interface AgentWait__Output {
    /**
     * The agent the tasks name.
     */
    'agent': (string);
    /**
     * How many of the run's tasks are READY for it.
     */
    'readyTasks': (number);
    /**
     * When an instance of it last polled in the run's workspace; unset: never.
     */
    'lastPoll': (_google_protobuf_Timestamp__Output | null);
}
