import type { Workspace as _orchestrator_v1_Workspace, Workspace__Output as _orchestrator_v1_Workspace__Output } from '../../orchestrator/v1/Workspace';
/**
 * Output of ListWorkspaces.
 */
export interface ListWorkspacesResponse {
    /**
     * By name.
     */
    'workspaces'?: (_orchestrator_v1_Workspace)[];
}
/**
 * Output of ListWorkspaces.
 */
export interface ListWorkspacesResponse__Output {
    /**
     * By name.
     */
    'workspaces': (_orchestrator_v1_Workspace__Output)[];
}
