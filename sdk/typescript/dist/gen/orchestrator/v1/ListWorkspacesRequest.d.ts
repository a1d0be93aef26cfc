/**
 * Input of ListWorkspaces.
 */
export interface ListWorkspacesRequest {
}
/**
 * Input of ListWorkspaces.
 */
export interface ListWorkspacesRequest__Output {
}
