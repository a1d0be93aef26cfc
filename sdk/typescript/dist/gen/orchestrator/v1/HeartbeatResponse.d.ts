import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { AgentDirective as _orchestrator_v1_AgentDirective, AgentDirective__Output as _orchestrator_v1_AgentDirective__Output } from '../../orchestrator/v1/AgentDirective';
/**
 * Output of Heartbeat.
 */
export interface HeartbeatResponse {
    /**
     * The new lease deadline.
     */
    'leaseDeadline'?: (_google_protobuf_Timestamp | null);
    /**
     * Keep going, or stop because the run was cancelled or paused.
     */
    'directive'?: (_orchestrator_v1_AgentDirective);
}
/**
 * Output of Heartbeat.
 */
export interface HeartbeatResponse__Output {
    /**
     * The new lease deadline.
     */
    'leaseDeadline': (_google_protobuf_Timestamp__Output | null);
    /**
     * Keep going, or stop because the run was cancelled or paused.
     */
    'directive': (_orchestrator_v1_AgentDirective__Output);
}
