import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { ApiKey as _orchestrator_v1_ApiKey, ApiKey__Output as _orchestrator_v1_ApiKey__Output } from '../../orchestrator/v1/ApiKey';
import type { CreateKeyRequest as _orchestrator_v1_CreateKeyRequest, CreateKeyRequest__Output as _orchestrator_v1_CreateKeyRequest__Output } from '../../orchestrator/v1/CreateKeyRequest';
import type { CreateKeyResponse as _orchestrator_v1_CreateKeyResponse, CreateKeyResponse__Output as _orchestrator_v1_CreateKeyResponse__Output } from '../../orchestrator/v1/CreateKeyResponse';
import type { CreateWorkspaceRequest as _orchestrator_v1_CreateWorkspaceRequest, CreateWorkspaceRequest__Output as _orchestrator_v1_CreateWorkspaceRequest__Output } from '../../orchestrator/v1/CreateWorkspaceRequest';
import type { ListKeysRequest as _orchestrator_v1_ListKeysRequest, ListKeysRequest__Output as _orchestrator_v1_ListKeysRequest__Output } from '../../orchestrator/v1/ListKeysRequest';
import type { ListKeysResponse as _orchestrator_v1_ListKeysResponse, ListKeysResponse__Output as _orchestrator_v1_ListKeysResponse__Output } from '../../orchestrator/v1/ListKeysResponse';
import type { ListWorkspacesRequest as _orchestrator_v1_ListWorkspacesRequest, ListWorkspacesRequest__Output as _orchestrator_v1_ListWorkspacesRequest__Output } from '../../orchestrator/v1/ListWorkspacesRequest';
import type { ListWorkspacesResponse as _orchestrator_v1_ListWorkspacesResponse, ListWorkspacesResponse__Output as _orchestrator_v1_ListWorkspacesResponse__Output } from '../../orchestrator/v1/ListWorkspacesResponse';
import type { RevokeKeyRequest as _orchestrator_v1_RevokeKeyRequest, RevokeKeyRequest__Output as _orchestrator_v1_RevokeKeyRequest__Output } from '../../orchestrator/v1/RevokeKeyRequest';
import type { Workspace as _orchestrator_v1_Workspace, Workspace__Output as _orchestrator_v1_Workspace__Output } from '../../orchestrator/v1/Workspace';
/**
 * Workspaces and API keys, for operators without access to the database.
 *
 * Every call needs an admin key. An admin key of the `default` workspace (the
 * server's own, where callers land when authentication is off) administers
 * every workspace; an admin key of another workspace administers only that
 * one: its keys, and ListWorkspaces shows it alone. A key's secret is
 * returned once, by CreateKey, and never again; only its hash is stored.
 */
export interface AdminServiceClient extends grpc.Client {
    /**
     * Create an API key for a workspace; the answer carries its secret, once.
     */
    CreateKey(argument: _orchestrator_v1_CreateKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
    CreateKey(argument: _orchestrator_v1_CreateKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
    CreateKey(argument: _orchestrator_v1_CreateKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
    CreateKey(argument: _orchestrator_v1_CreateKeyRequest, callback: grpc.requestCallback<_orchestrator_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Create an API key for a workspace; the answer carries its secret, once.
     */
    createKey(argument: _orchestrator_v1_CreateKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
    createKey(argument: _orchestrator_v1_CreateKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
    createKey(argument: _orchestrator_v1_CreateKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
    createKey(argument: _orchestrator_v1_CreateKeyRequest, callback: grpc.requestCallback<_orchestrator_v1_CreateKeyResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Create a workspace.
     */
    CreateWorkspace(argument: _orchestrator_v1_CreateWorkspaceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Workspace__Output>): grpc.ClientUnaryCall;
    CreateWorkspace(argument: _orchestrator_v1_CreateWorkspaceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Workspace__Output>): grpc.ClientUnaryCall;
    CreateWorkspace(argument: _orchestrator_v1_CreateWorkspaceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Workspace__Output>): grpc.ClientUnaryCall;
    CreateWorkspace(argument: _orchestrator_v1_CreateWorkspaceRequest, callback: grpc.requestCallback<_orchestrator_v1_Workspace__Output>): grpc.ClientUnaryCall;
    /**
     * Create a workspace.
     */
    createWorkspace(argument: _orchestrator_v1_CreateWorkspaceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Workspace__Output>): grpc.ClientUnaryCall;
    createWorkspace(argument: _orchestrator_v1_CreateWorkspaceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Workspace__Output>): grpc.ClientUnaryCall;
    createWorkspace(argument: _orchestrator_v1_CreateWorkspaceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Workspace__Output>): grpc.ClientUnaryCall;
    createWorkspace(argument: _orchestrator_v1_CreateWorkspaceRequest, callback: grpc.requestCallback<_orchestrator_v1_Workspace__Output>): grpc.ClientUnaryCall;
    /**
     * List API keys (never their secrets).
     */
    ListKeys(argument: _orchestrator_v1_ListKeysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
    ListKeys(argument: _orchestrator_v1_ListKeysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
    ListKeys(argument: _orchestrator_v1_ListKeysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
    ListKeys(argument: _orchestrator_v1_ListKeysRequest, callback: grpc.requestCallback<_orchestrator_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
    /**
     * List API keys (never their secrets).
     */
    listKeys(argument: _orchestrator_v1_ListKeysRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
    listKeys(argument: _orchestrator_v1_ListKeysRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
    listKeys(argument: _orchestrator_v1_ListKeysRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
    listKeys(argument: _orchestrator_v1_ListKeysRequest, callback: grpc.requestCallback<_orchestrator_v1_ListKeysResponse__Output>): grpc.ClientUnaryCall;
    /**
     * List the workspaces the caller administers, with their number of runs.
     */
    ListWorkspaces(argument: _orchestrator_v1_ListWorkspacesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListWorkspacesResponse__Output>): grpc.ClientUnaryCall;
    ListWorkspaces(argument: _orchestrator_v1_ListWorkspacesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListWorkspacesResponse__Output>): grpc.ClientUnaryCall;
    ListWorkspaces(argument: _orchestrator_v1_ListWorkspacesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListWorkspacesResponse__Output>): grpc.ClientUnaryCall;
    ListWorkspaces(argument: _orchestrator_v1_ListWorkspacesRequest, callback: grpc.requestCallback<_orchestrator_v1_ListWorkspacesResponse__Output>): grpc.ClientUnaryCall;
    /**
     * List the workspaces the caller administers, with their number of runs.
     */
    listWorkspaces(argument: _orchestrator_v1_ListWorkspacesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListWorkspacesResponse__Output>): grpc.ClientUnaryCall;
    listWorkspaces(argument: _orchestrator_v1_ListWorkspacesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListWorkspacesResponse__Output>): grpc.ClientUnaryCall;
    listWorkspaces(argument: _orchestrator_v1_ListWorkspacesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListWorkspacesResponse__Output>): grpc.ClientUnaryCall;
    listWorkspaces(argument: _orchestrator_v1_ListWorkspacesRequest, callback: grpc.requestCallback<_orchestrator_v1_ListWorkspacesResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Revoke an API key: it is refused from the next call on (within a second).
     */
    RevokeKey(argument: _orchestrator_v1_RevokeKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ApiKey__Output>): grpc.ClientUnaryCall;
    RevokeKey(argument: _orchestrator_v1_RevokeKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ApiKey__Output>): grpc.ClientUnaryCall;
    RevokeKey(argument: _orchestrator_v1_RevokeKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ApiKey__Output>): grpc.ClientUnaryCall;
    RevokeKey(argument: _orchestrator_v1_RevokeKeyRequest, callback: grpc.requestCallback<_orchestrator_v1_ApiKey__Output>): grpc.ClientUnaryCall;
    /**
     * Revoke an API key: it is refused from the next call on (within a second).
     */
    revokeKey(argument: _orchestrator_v1_RevokeKeyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ApiKey__Output>): grpc.ClientUnaryCall;
    revokeKey(argument: _orchestrator_v1_RevokeKeyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ApiKey__Output>): grpc.ClientUnaryCall;
    revokeKey(argument: _orchestrator_v1_RevokeKeyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ApiKey__Output>): grpc.ClientUnaryCall;
    revokeKey(argument: _orchestrator_v1_RevokeKeyRequest, callback: grpc.requestCallback<_orchestrator_v1_ApiKey__Output>): grpc.ClientUnaryCall;
}
/**
 * Workspaces and API keys, for operators without access to the database.
 *
 * Every call needs an admin key. An admin key of the `default` workspace (the
 * server's own, where callers land when authentication is off) administers
 * every workspace; an admin key of another workspace administers only that
 * one: its keys, and ListWorkspaces shows it alone. A key's secret is
 * returned once, by CreateKey, and never again; only its hash is stored.
 */
export interface AdminServiceHandlers extends grpc.UntypedServiceImplementation {
    /**
     * Create an API key for a workspace; the answer carries its secret, once.
     */
    CreateKey: grpc.handleUnaryCall<_orchestrator_v1_CreateKeyRequest__Output, _orchestrator_v1_CreateKeyResponse>;
    /**
     * Create a workspace.
     */
    CreateWorkspace: grpc.handleUnaryCall<_orchestrator_v1_CreateWorkspaceRequest__Output, _orchestrator_v1_Workspace>;
    /**
     * List API keys (never their secrets).
     */
    ListKeys: grpc.handleUnaryCall<_orchestrator_v1_ListKeysRequest__Output, _orchestrator_v1_ListKeysResponse>;
    /**
     * List the workspaces the caller administers, with their number of runs.
     */
    ListWorkspaces: grpc.handleUnaryCall<_orchestrator_v1_ListWorkspacesRequest__Output, _orchestrator_v1_ListWorkspacesResponse>;
    /**
     * Revoke an API key: it is refused from the next call on (within a second).
     */
    RevokeKey: grpc.handleUnaryCall<_orchestrator_v1_RevokeKeyRequest__Output, _orchestrator_v1_ApiKey>;
}
export interface AdminServiceDefinition extends grpc.ServiceDefinition {
    CreateKey: MethodDefinition<_orchestrator_v1_CreateKeyRequest, _orchestrator_v1_CreateKeyResponse, _orchestrator_v1_CreateKeyRequest__Output, _orchestrator_v1_CreateKeyResponse__Output>;
    CreateWorkspace: MethodDefinition<_orchestrator_v1_CreateWorkspaceRequest, _orchestrator_v1_Workspace, _orchestrator_v1_CreateWorkspaceRequest__Output, _orchestrator_v1_Workspace__Output>;
    ListKeys: MethodDefinition<_orchestrator_v1_ListKeysRequest, _orchestrator_v1_ListKeysResponse, _orchestrator_v1_ListKeysRequest__Output, _orchestrator_v1_ListKeysResponse__Output>;
    ListWorkspaces: MethodDefinition<_orchestrator_v1_ListWorkspacesRequest, _orchestrator_v1_ListWorkspacesResponse, _orchestrator_v1_ListWorkspacesRequest__Output, _orchestrator_v1_ListWorkspacesResponse__Output>;
    RevokeKey: MethodDefinition<_orchestrator_v1_RevokeKeyRequest, _orchestrator_v1_ApiKey, _orchestrator_v1_RevokeKeyRequest__Output, _orchestrator_v1_ApiKey__Output>;
}
