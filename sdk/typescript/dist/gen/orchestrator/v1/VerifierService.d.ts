import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { ListCriterionKindsRequest as _orchestrator_v1_ListCriterionKindsRequest, ListCriterionKindsRequest__Output as _orchestrator_v1_ListCriterionKindsRequest__Output } from '../../orchestrator/v1/ListCriterionKindsRequest';
import type { ListCriterionKindsResponse as _orchestrator_v1_ListCriterionKindsResponse, ListCriterionKindsResponse__Output as _orchestrator_v1_ListCriterionKindsResponse__Output } from '../../orchestrator/v1/ListCriterionKindsResponse';
import type { VerifyRequest as _orchestrator_v1_VerifyRequest, VerifyRequest__Output as _orchestrator_v1_VerifyRequest__Output } from '../../orchestrator/v1/VerifyRequest';
import type { VerifyResponse as _orchestrator_v1_VerifyResponse, VerifyResponse__Output as _orchestrator_v1_VerifyResponse__Output } from '../../orchestrator/v1/VerifyResponse';
/**
 * Check outputs against criteria, on their own or inside runs.
 */
export interface VerifierServiceClient extends grpc.Client {
    /**
     * Describe every criterion kind and its parameters.
     */
    ListCriterionKinds(argument: _orchestrator_v1_ListCriterionKindsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListCriterionKindsResponse__Output>): grpc.ClientUnaryCall;
    ListCriterionKinds(argument: _orchestrator_v1_ListCriterionKindsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListCriterionKindsResponse__Output>): grpc.ClientUnaryCall;
    ListCriterionKinds(argument: _orchestrator_v1_ListCriterionKindsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListCriterionKindsResponse__Output>): grpc.ClientUnaryCall;
    ListCriterionKinds(argument: _orchestrator_v1_ListCriterionKindsRequest, callback: grpc.requestCallback<_orchestrator_v1_ListCriterionKindsResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Describe every criterion kind and its parameters.
     */
    listCriterionKinds(argument: _orchestrator_v1_ListCriterionKindsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListCriterionKindsResponse__Output>): grpc.ClientUnaryCall;
    listCriterionKinds(argument: _orchestrator_v1_ListCriterionKindsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListCriterionKindsResponse__Output>): grpc.ClientUnaryCall;
    listCriterionKinds(argument: _orchestrator_v1_ListCriterionKindsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListCriterionKindsResponse__Output>): grpc.ClientUnaryCall;
    listCriterionKinds(argument: _orchestrator_v1_ListCriterionKindsRequest, callback: grpc.requestCallback<_orchestrator_v1_ListCriterionKindsResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Check an output against criteria and return the verdict.
     */
    Verify(argument: _orchestrator_v1_VerifyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
    Verify(argument: _orchestrator_v1_VerifyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
    Verify(argument: _orchestrator_v1_VerifyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
    Verify(argument: _orchestrator_v1_VerifyRequest, callback: grpc.requestCallback<_orchestrator_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Check an output against criteria and return the verdict.
     */
    verify(argument: _orchestrator_v1_VerifyRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
    verify(argument: _orchestrator_v1_VerifyRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
    verify(argument: _orchestrator_v1_VerifyRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
    verify(argument: _orchestrator_v1_VerifyRequest, callback: grpc.requestCallback<_orchestrator_v1_VerifyResponse__Output>): grpc.ClientUnaryCall;
}
/**
 * Check outputs against criteria, on their own or inside runs.
 */
export interface VerifierServiceHandlers extends grpc.UntypedServiceImplementation {
    /**
     * Describe every criterion kind and its parameters.
     */
    ListCriterionKinds: grpc.handleUnaryCall<_orchestrator_v1_ListCriterionKindsRequest__Output, _orchestrator_v1_ListCriterionKindsResponse>;
    /**
     * Check an output against criteria and return the verdict.
     */
    Verify: grpc.handleUnaryCall<_orchestrator_v1_VerifyRequest__Output, _orchestrator_v1_VerifyResponse>;
}
export interface VerifierServiceDefinition extends grpc.ServiceDefinition {
    ListCriterionKinds: MethodDefinition<_orchestrator_v1_ListCriterionKindsRequest, _orchestrator_v1_ListCriterionKindsResponse, _orchestrator_v1_ListCriterionKindsRequest__Output, _orchestrator_v1_ListCriterionKindsResponse__Output>;
    Verify: MethodDefinition<_orchestrator_v1_VerifyRequest, _orchestrator_v1_VerifyResponse, _orchestrator_v1_VerifyRequest__Output, _orchestrator_v1_VerifyResponse__Output>;
}
