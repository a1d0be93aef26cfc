/**
 * What a heartbeat answer asks of the agent.
 */
export declare const AgentDirective: {
    /**
     * Never sent.
     */
    readonly AGENT_DIRECTIVE_UNSPECIFIED: "AGENT_DIRECTIVE_UNSPECIFIED";
    /**
     * Keep working.
     */
    readonly AGENT_DIRECTIVE_CONTINUE: "AGENT_DIRECTIVE_CONTINUE";
    /**
     * The run was cancelled: stop, nothing more will be accepted.
     */
    readonly AGENT_DIRECTIVE_CANCEL: "AGENT_DIRECTIVE_CANCEL";
    /**
     * The run was paused: stop at a safe point and report (the task is retried on resume).
     */
    readonly AGENT_DIRECTIVE_PAUSE: "AGENT_DIRECTIVE_PAUSE";
};
/**
 * What a heartbeat answer asks of the agent.
 */
export type AgentDirective = 
/**
 * Never sent.
 */
'AGENT_DIRECTIVE_UNSPECIFIED' | 0
/**
 * Keep working.
 */
 | 'AGENT_DIRECTIVE_CONTINUE' | 1
/**
 * The run was cancelled: stop, nothing more will be accepted.
 */
 | 'AGENT_DIRECTIVE_CANCEL' | 2
/**
 * The run was paused: stop at a safe point and report (the task is retried on resume).
 */
 | 'AGENT_DIRECTIVE_PAUSE' | 3;
/**
 * What a heartbeat answer asks of the agent.
 */
export type AgentDirective__Output = typeof AgentDirective[keyof typeof AgentDirective];
