"use strict";
// Original file: proto/orchestrator/v1/types.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.AgentDirective = void 0;
/**
 * What a heartbeat answer asks of the agent.
 */
exports.AgentDirective = {
    /**
     * Never sent.
     */
    AGENT_DIRECTIVE_UNSPECIFIED: 'AGENT_DIRECTIVE_UNSPECIFIED',
    /**
     * Keep working.
     */
    AGENT_DIRECTIVE_CONTINUE: 'AGENT_DIRECTIVE_CONTINUE',
    /**
     * The run was cancelled: stop, nothing more will be accepted.
     */
    AGENT_DIRECTIVE_CANCEL: 'AGENT_DIRECTIVE_CANCEL',
    /**
     * The run was paused: stop at a safe point and report (the task is retried on resume).
     */
    AGENT_DIRECTIVE_PAUSE: 'AGENT_DIRECTIVE_PAUSE',
};
