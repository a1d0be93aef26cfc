import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { AdminServiceClient as _orchestrator_v1_AdminServiceClient, AdminServiceDefinition as _orchestrator_v1_AdminServiceDefinition } from './orchestrator/v1/AdminService';
import type { ApiKey as _orchestrator_v1_ApiKey, ApiKey__Output as _orchestrator_v1_ApiKey__Output } from './orchestrator/v1/ApiKey';
import type { CreateKeyRequest as _orchestrator_v1_CreateKeyRequest, CreateKeyRequest__Output as _orchestrator_v1_CreateKeyRequest__Output } from './orchestrator/v1/CreateKeyRequest';
import type { CreateKeyResponse as _orchestrator_v1_CreateKeyResponse, CreateKeyResponse__Output as _orchestrator_v1_CreateKeyResponse__Output } from './orchestrator/v1/CreateKeyResponse';
import type { CreateWorkspaceRequest as _orchestrator_v1_CreateWorkspaceRequest, CreateWorkspaceRequest__Output as _orchestrator_v1_CreateWorkspaceRequest__Output } from './orchestrator/v1/CreateWorkspaceRequest';
import type { ListKeysRequest as _orchestrator_v1_ListKeysRequest, ListKeysRequest__Output as _orchestrator_v1_ListKeysRequest__Output } from './orchestrator/v1/ListKeysRequest';
import type { ListKeysResponse as _orchestrator_v1_ListKeysResponse, ListKeysResponse__Output as _orchestrator_v1_ListKeysResponse__Output } from './orchestrator/v1/ListKeysResponse';
import type { ListWorkspacesRequest as _orchestrator_v1_ListWorkspacesRequest, ListWorkspacesRequest__Output as _orchestrator_v1_ListWorkspacesRequest__Output } from './orchestrator/v1/ListWorkspacesRequest';
import type { ListWorkspacesResponse as _orchestrator_v1_ListWorkspacesResponse, ListWorkspacesResponse__Output as _orchestrator_v1_ListWorkspacesResponse__Output } from './orchestrator/v1/ListWorkspacesResponse';
import type { RevokeKeyRequest as _orchestrator_v1_RevokeKeyRequest, RevokeKeyRequest__Output as _orchestrator_v1_RevokeKeyRequest__Output } from './orchestrator/v1/RevokeKeyRequest';
import type { Workspace as _orchestrator_v1_Workspace, Workspace__Output as _orchestrator_v1_Workspace__Output } from './orchestrator/v1/Workspace';
type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
    new (...args: ConstructorParameters<Constructor>): Subtype;
};
export interface ProtoGrpcType {
    google: {
        protobuf: {
            Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>;
        };
    };
    orchestrator: {
        v1: {
            /**
             * Workspaces and API keys, for operators without access to the database.
             *
             * Every call needs an admin key. An admin key of the `default` workspace (the
             * server's own, where callers land when authentication is off) administers
             * every workspace; an admin key of another workspace administers only that
             * one: its keys, and ListWorkspaces shows it alone. A key's secret is
             * returned once, by CreateKey, and never again; only its hash is stored.
             */
            AdminService: SubtypeConstructor<typeof grpc.Client, _orchestrator_v1_AdminServiceClient> & {
                service: _orchestrator_v1_AdminServiceDefinition;
            };
            ApiKey: MessageTypeDefinition<_orchestrator_v1_ApiKey, _orchestrator_v1_ApiKey__Output>;
            CreateKeyRequest: MessageTypeDefinition<_orchestrator_v1_CreateKeyRequest, _orchestrator_v1_CreateKeyRequest__Output>;
            CreateKeyResponse: MessageTypeDefinition<_orchestrator_v1_CreateKeyResponse, _orchestrator_v1_CreateKeyResponse__Output>;
            CreateWorkspaceRequest: MessageTypeDefinition<_orchestrator_v1_CreateWorkspaceRequest, _orchestrator_v1_CreateWorkspaceRequest__Output>;
            ListKeysRequest: MessageTypeDefinition<_orchestrator_v1_ListKeysRequest, _orchestrator_v1_ListKeysRequest__Output>;
            ListKeysResponse: MessageTypeDefinition<_orchestrator_v1_ListKeysResponse, _orchestrator_v1_ListKeysResponse__Output>;
            ListWorkspacesRequest: MessageTypeDefinition<_orchestrator_v1_ListWorkspacesRequest, _orchestrator_v1_ListWorkspacesRequest__Output>;
            ListWorkspacesResponse: MessageTypeDefinition<_orchestrator_v1_ListWorkspacesResponse, _orchestrator_v1_ListWorkspacesResponse__Output>;
            RevokeKeyRequest: MessageTypeDefinition<_orchestrator_v1_RevokeKeyRequest, _orchestrator_v1_RevokeKeyRequest__Output>;
            Workspace: MessageTypeDefinition<_orchestrator_v1_Workspace, _orchestrator_v1_Workspace__Output>;
        };
    };
}
export {};
