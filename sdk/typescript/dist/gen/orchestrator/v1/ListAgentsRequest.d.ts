/**
 * Input of ListAgents.
 */
export interface ListAgentsRequest {
}
/**
 * Input of ListAgents.
 */
export interface ListAgentsRequest__Output {
}
