import type { Long } from '@grpc/proto-loader';
/**
 * A workspace.
 */
export interface Workspace {
    /**
     * Its name: 1–63 characters of a-z, 0-9, '-', '_'.
     */
    'name'?: (string);
    /**
     * How many runs it holds.
     */
    'runs'?: (number | string | Long);
}
/**
 * A workspace.
 */
export interface Workspace__Output {
    /**
     * Its name: 1–63 characters of a-z, 0-9, '-', '_'.
     */
    'name': (string);
    /**
     * How many runs it holds.
     */
    'runs': (number);
}
