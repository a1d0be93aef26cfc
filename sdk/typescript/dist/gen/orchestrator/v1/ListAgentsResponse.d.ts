import type { AgentStatus as _orchestrator_v1_AgentStatus, AgentStatus__Output as _orchestrator_v1_AgentStatus__Output } from '../../orchestrator/v1/AgentStatus';
/**
 * Output of ListAgents.
 */
export interface ListAgentsResponse {
    /**
     * The agents, by name (at most 1,000).
     */
    'agents'?: (_orchestrator_v1_AgentStatus)[];
}
/**
 * Output of ListAgents.
 */
export interface ListAgentsResponse__Output {
    /**
     * The agents, by name (at most 1,000).
     */
    'agents': (_orchestrator_v1_AgentStatus__Output)[];
}
