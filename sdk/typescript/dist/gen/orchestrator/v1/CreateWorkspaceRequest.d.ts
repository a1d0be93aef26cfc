/**
 * Input of CreateWorkspace.
 */
export interface CreateWorkspaceRequest {
    /**
     * The new workspace's name: 1–63 characters of a-z, 0-9, '-', '_'.
     */
    'name'?: (string);
}
/**
 * Input of CreateWorkspace.
 */
export interface CreateWorkspaceRequest__Output {
    /**
     * The new workspace's name: 1–63 characters of a-z, 0-9, '-', '_'.
     */
    'name': (string);
}
