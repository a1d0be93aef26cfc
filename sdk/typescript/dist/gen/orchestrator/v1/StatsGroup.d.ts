/**
 * What statistics are grouped by.
 */
export declare const StatsGroup: {
    /**
     * Same as STATS_GROUP_AGENT.
     */
    readonly STATS_GROUP_UNSPECIFIED: "STATS_GROUP_UNSPECIFIED";
    /**
     * The agent that made the attempt.
     */
    readonly STATS_GROUP_AGENT: "STATS_GROUP_AGENT";
    /**
     * The model that did the work ("" for agents that bring their own).
     */
    readonly STATS_GROUP_MODEL: "STATS_GROUP_MODEL";
    /**
     * The recipe the run came from ("" for runs of no recipe).
     */
    readonly STATS_GROUP_RECIPE: "STATS_GROUP_RECIPE";
    /**
     * The task's kind: its agent and the shape of its title (lowercased,
     * numbers as `#`, its first eight words), so repeated tasks group.
     */
    readonly STATS_GROUP_TASK_KIND: "STATS_GROUP_TASK_KIND";
};
/**
 * What statistics are grouped by.
 */
export type StatsGroup = 
/**
 * Same as STATS_GROUP_AGENT.
 */
'STATS_GROUP_UNSPECIFIED' | 0
/**
 * The agent that made the attempt.
 */
 | 'STATS_GROUP_AGENT' | 1
/**
 * The model that did the work ("" for agents that bring their own).
 */
 | 'STATS_GROUP_MODEL' | 2
/**
 * The recipe the run came from ("" for runs of no recipe).
 */
 | 'STATS_GROUP_RECIPE' | 3
/**
 * The task's kind: its agent and the shape of its title (lowercased,
 * numbers as `#`, its first eight words), so repeated tasks group.
 */
 | 'STATS_GROUP_TASK_KIND' | 4;
/**
 * What statistics are grouped by.
 */
export type StatsGroup__Output = typeof StatsGroup[keyof typeof StatsGroup];
