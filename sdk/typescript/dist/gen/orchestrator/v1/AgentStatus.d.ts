import type { AgentInstance as _orchestrator_v1_AgentInstance, AgentInstance__Output as _orchestrator_v1_AgentInstance__Output } from '../../orchestrator/v1/AgentInstance';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Long } from '@grpc/proto-loader';
/**
 * An agent of the workspace and how it is served.
 */
export interface AgentStatus {
    /**
     * The agent's name (`TaskSpec.agent`).
     */
    'name'?: (string);
    /**
     * Who executes its tasks: "agent" (out of process), "command", "llm", or
     * "" for an agent the policy does not declare.
     */
    'executor'?: (string);
    /**
     * Its instances seen in the last 24 hours, the latest first (at most 100).
     */
    'instances'?: (_orchestrator_v1_AgentInstance)[];
    /**
     * When any instance last polled (unset: never seen).
     */
    'lastPoll'?: (_google_protobuf_Timestamp | null);
    /**
     * Whether an instance polled lately (within about two long polls); the
     * built-in executors always serve.
     */
    'served'?: (boolean);
    /**
     * Its tasks running now.
     */
    'runningAttempts'?: (number);
    /**
     * Its tasks ready and waiting for an instance.
     */
    'readyTasks'?: (number);
    /**
     * Its attempts that succeeded in the last hour (recorded outcomes).
     */
    'succeededLastHour'?: (number | string | Long);
    /**
     * Its attempts that failed in the last hour.
     */
    'failedLastHour'?: (number | string | Long);
    /**
     * Set when ready tasks wait and nobody serves the agent: "3 tasks waiting
     * for agent `writer`: no instance has polled since 2026-12-03T14:00:00Z".
     */
    'warning'?: (string);
}
/**
 * An agent of the workspace and how it is served.
 */
export interface AgentStatus__Output {
    /**
     * The agent's name (`TaskSpec.agent`).
     */
    'name': (string);
    /**
     * Who executes its tasks: "agent" (out of process), "command", "llm", or
     * "" for an agent the policy does not declare.
     */
    'executor': (string);
    /**
     * Its instances seen in the last 24 hours, the latest first (at most 100).
     */
    'instances': (_orchestrator_v1_AgentInstance__Output)[];
    /**
     * When any instance last polled (unset: never seen).
     */
    'lastPoll': (_google_protobuf_Timestamp__Output | null);
    /**
     * Whether an instance polled lately (within about two long polls); the
     * built-in executors always serve.
     */
    'served': (boolean);
    /**
     * Its tasks running now.
     */
    'runningAttempts': (number);
    /**
     * Its tasks ready and waiting for an instance.
     */
    'readyTasks': (number);
    /**
     * Its attempts that succeeded in the last hour (recorded outcomes).
     */
    'succeededLastHour': (number);
    /**
     * Its attempts that failed in the last hour.
     */
    'failedLastHour': (number);
    /**
     * Set when ready tasks wait and nobody serves the agent: "3 tasks waiting
     * for agent `writer`: no instance has polled since 2026-12-03T14:00:00Z".
     */
    'warning': (string);
}
