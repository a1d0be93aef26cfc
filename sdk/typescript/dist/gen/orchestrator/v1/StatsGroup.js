"use strict";
// Original file: proto/orchestrator/v1/guidance.proto
Object.defineProperty(exports, "__esModule", { value: true });
exports.StatsGroup = void 0;
/**
 * What statistics are grouped by.
 */
exports.StatsGroup = {
    /**
     * Same as STATS_GROUP_AGENT.
     */
    STATS_GROUP_UNSPECIFIED: 'STATS_GROUP_UNSPECIFIED',
    /**
     * The agent that made the attempt.
     */
    STATS_GROUP_AGENT: 'STATS_GROUP_AGENT',
    /**
     * The model that did the work ("" for agents that bring their own).
     */
    STATS_GROUP_MODEL: 'STATS_GROUP_MODEL',
    /**
     * The recipe the run came from ("" for runs of no recipe).
     */
    STATS_GROUP_RECIPE: 'STATS_GROUP_RECIPE',
    /**
     * The task's kind: its agent and the shape of its title (lowercased,
     * numbers as `#`, its first eight words), so repeated tasks group.
     */
    STATS_GROUP_TASK_KIND: 'STATS_GROUP_TASK_KIND',
};
