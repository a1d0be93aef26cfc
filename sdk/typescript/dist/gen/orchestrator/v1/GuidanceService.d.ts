import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { Advice as _orchestrator_v1_Advice, Advice__Output as _orchestrator_v1_Advice__Output } from '../../orchestrator/v1/Advice';
import type { AdviseRequest as _orchestrator_v1_AdviseRequest, AdviseRequest__Output as _orchestrator_v1_AdviseRequest__Output } from '../../orchestrator/v1/AdviseRequest';
import type { GetStatsRequest as _orchestrator_v1_GetStatsRequest, GetStatsRequest__Output as _orchestrator_v1_GetStatsRequest__Output } from '../../orchestrator/v1/GetStatsRequest';
import type { GetStatsResponse as _orchestrator_v1_GetStatsResponse, GetStatsResponse__Output as _orchestrator_v1_GetStatsResponse__Output } from '../../orchestrator/v1/GetStatsResponse';
import type { ListRecipeCandidatesRequest as _orchestrator_v1_ListRecipeCandidatesRequest, ListRecipeCandidatesRequest__Output as _orchestrator_v1_ListRecipeCandidatesRequest__Output } from '../../orchestrator/v1/ListRecipeCandidatesRequest';
import type { ListRecipeCandidatesResponse as _orchestrator_v1_ListRecipeCandidatesResponse, ListRecipeCandidatesResponse__Output as _orchestrator_v1_ListRecipeCandidatesResponse__Output } from '../../orchestrator/v1/ListRecipeCandidatesResponse';
/**
 * Guidance: what a workspace's history says. Every finished attempt is
 * recorded as an outcome (its agent, executor and model, its run's recipe,
 * its task's kind, whether it passed, its verdict's score, tokens, cost and
 * latency) by a background recorder, within about a second of its end (an
 * attempt being verified waits for its verdict). Outcomes hold ids, names,
 * numbers and a task's kind (the first words of its title), no input or
 * output, and outlive their runs (400 days). Operators and viewers read.
 */
export interface GuidanceServiceClient extends grpc.Client {
    /**
     * Advice on a run before it runs, from the workspace's outcomes: its
     * tokens, cost and duration (the critical path) with ranges, its chance
     * of passing, its tasks likeliest to fail, warnings (a budget below the
     * prediction, no criteria, an agent that often fails, a vague or broad
     * goal), a recipe of the same graph and a cheaper model per `llm` task.
     * Nothing runs; the advice is kept (its `advice_id`) so that a run made
     * after it can be compared with it. The run is checked as CreateRun checks it
     * (INVALID_ARGUMENT names every violation); a goal without a plan gets
     * the goal's warnings only.
     */
    Advise(argument: _orchestrator_v1_AdviseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Advice__Output>): grpc.ClientUnaryCall;
    Advise(argument: _orchestrator_v1_AdviseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Advice__Output>): grpc.ClientUnaryCall;
    Advise(argument: _orchestrator_v1_AdviseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Advice__Output>): grpc.ClientUnaryCall;
    Advise(argument: _orchestrator_v1_AdviseRequest, callback: grpc.requestCallback<_orchestrator_v1_Advice__Output>): grpc.ClientUnaryCall;
    /**
     * Advice on a run before it runs, from the workspace's outcomes: its
     * tokens, cost and duration (the critical path) with ranges, its chance
     * of passing, its tasks likeliest to fail, warnings (a budget below the
     * prediction, no criteria, an agent that often fails, a vague or broad
     * goal), a recipe of the same graph and a cheaper model per `llm` task.
     * Nothing runs; the advice is kept (its `advice_id`) so that a run made
     * after it can be compared with it. The run is checked as CreateRun checks it
     * (INVALID_ARGUMENT names every violation); a goal without a plan gets
     * the goal's warnings only.
     */
    advise(argument: _orchestrator_v1_AdviseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Advice__Output>): grpc.ClientUnaryCall;
    advise(argument: _orchestrator_v1_AdviseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Advice__Output>): grpc.ClientUnaryCall;
    advise(argument: _orchestrator_v1_AdviseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Advice__Output>): grpc.ClientUnaryCall;
    advise(argument: _orchestrator_v1_AdviseRequest, callback: grpc.requestCallback<_orchestrator_v1_Advice__Output>): grpc.ClientUnaryCall;
    /**
     * Statistics over a time window, grouped by agent, model, recipe or task
     * kind, each figure with the sample it stands on. INVALID_ARGUMENT for a
     * window that ends before it starts.
     */
    GetStats(argument: _orchestrator_v1_GetStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
    GetStats(argument: _orchestrator_v1_GetStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
    GetStats(argument: _orchestrator_v1_GetStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
    GetStats(argument: _orchestrator_v1_GetStatsRequest, callback: grpc.requestCallback<_orchestrator_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Statistics over a time window, grouped by agent, model, recipe or task
     * kind, each figure with the sample it stands on. INVALID_ARGUMENT for a
     * window that ends before it starts.
     */
    getStats(argument: _orchestrator_v1_GetStatsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
    getStats(argument: _orchestrator_v1_GetStatsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
    getStats(argument: _orchestrator_v1_GetStatsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
    getStats(argument: _orchestrator_v1_GetStatsRequest, callback: grpc.requestCallback<_orchestrator_v1_GetStatsResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Recipes the workspace's history proposes: among its 200 latest
     * completed runs not made from a recipe, each graph (its agents and edges,
     * ids set aside) that `min_runs` of them share and no recipe of the
     * workspace has, with the texts that differ between them as parameters.
     * Accept one with one call: CreateRecipeFromRun with its `accept`.
     */
    ListRecipeCandidates(argument: _orchestrator_v1_ListRecipeCandidatesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRecipeCandidatesResponse__Output>): grpc.ClientUnaryCall;
    ListRecipeCandidates(argument: _orchestrator_v1_ListRecipeCandidatesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListRecipeCandidatesResponse__Output>): grpc.ClientUnaryCall;
    ListRecipeCandidates(argument: _orchestrator_v1_ListRecipeCandidatesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRecipeCandidatesResponse__Output>): grpc.ClientUnaryCall;
    ListRecipeCandidates(argument: _orchestrator_v1_ListRecipeCandidatesRequest, callback: grpc.requestCallback<_orchestrator_v1_ListRecipeCandidatesResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Recipes the workspace's history proposes: among its 200 latest
     * completed runs not made from a recipe, each graph (its agents and edges,
     * ids set aside) that `min_runs` of them share and no recipe of the
     * workspace has, with the texts that differ between them as parameters.
     * Accept one with one call: CreateRecipeFromRun with its `accept`.
     */
    listRecipeCandidates(argument: _orchestrator_v1_ListRecipeCandidatesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRecipeCandidatesResponse__Output>): grpc.ClientUnaryCall;
    listRecipeCandidates(argument: _orchestrator_v1_ListRecipeCandidatesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListRecipeCandidatesResponse__Output>): grpc.ClientUnaryCall;
    listRecipeCandidates(argument: _orchestrator_v1_ListRecipeCandidatesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRecipeCandidatesResponse__Output>): grpc.ClientUnaryCall;
    listRecipeCandidates(argument: _orchestrator_v1_ListRecipeCandidatesRequest, callback: grpc.requestCallback<_orchestrator_v1_ListRecipeCandidatesResponse__Output>): grpc.ClientUnaryCall;
}
/**
 * Guidance: what a workspace's history says. Every finished attempt is
 * recorded as an outcome (its agent, executor and model, its run's recipe,
 * its task's kind, whether it passed, its verdict's score, tokens, cost and
 * latency) by a background recorder, within about a second of its end (an
 * attempt being verified waits for its verdict). Outcomes hold ids, names,
 * numbers and a task's kind (the first words of its title), no input or
 * output, and outlive their runs (400 days). Operators and viewers read.
 */
export interface GuidanceServiceHandlers extends grpc.UntypedServiceImplementation {
    /**
     * Advice on a run before it runs, from the workspace's outcomes: its
     * tokens, cost and duration (the critical path) with ranges, its chance
     * of passing, its tasks likeliest to fail, warnings (a budget below the
     * prediction, no criteria, an agent that often fails, a vague or broad
     * goal), a recipe of the same graph and a cheaper model per `llm` task.
     * Nothing runs; the advice is kept (its `advice_id`) so that a run made
     * after it can be compared with it. The run is checked as CreateRun checks it
     * (INVALID_ARGUMENT names every violation); a goal without a plan gets
     * the goal's warnings only.
     */
    Advise: grpc.handleUnaryCall<_orchestrator_v1_AdviseRequest__Output, _orchestrator_v1_Advice>;
    /**
     * Statistics over a time window, grouped by agent, model, recipe or task
     * kind, each figure with the sample it stands on. INVALID_ARGUMENT for a
     * window that ends before it starts.
     */
    GetStats: grpc.handleUnaryCall<_orchestrator_v1_GetStatsRequest__Output, _orchestrator_v1_GetStatsResponse>;
    /**
     * Recipes the workspace's history proposes: among its 200 latest
     * completed runs not made from a recipe, each graph (its agents and edges,
     * ids set aside) that `min_runs` of them share and no recipe of the
     * workspace has, with the texts that differ between them as parameters.
     * Accept one with one call: CreateRecipeFromRun with its `accept`.
     */
    ListRecipeCandidates: grpc.handleUnaryCall<_orchestrator_v1_ListRecipeCandidatesRequest__Output, _orchestrator_v1_ListRecipeCandidatesResponse>;
}
export interface GuidanceServiceDefinition extends grpc.ServiceDefinition {
    Advise: MethodDefinition<_orchestrator_v1_AdviseRequest, _orchestrator_v1_Advice, _orchestrator_v1_AdviseRequest__Output, _orchestrator_v1_Advice__Output>;
    GetStats: MethodDefinition<_orchestrator_v1_GetStatsRequest, _orchestrator_v1_GetStatsResponse, _orchestrator_v1_GetStatsRequest__Output, _orchestrator_v1_GetStatsResponse__Output>;
    ListRecipeCandidates: MethodDefinition<_orchestrator_v1_ListRecipeCandidatesRequest, _orchestrator_v1_ListRecipeCandidatesResponse, _orchestrator_v1_ListRecipeCandidatesRequest__Output, _orchestrator_v1_ListRecipeCandidatesResponse__Output>;
}
