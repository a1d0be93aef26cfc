import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { FieldMask as _google_protobuf_FieldMask, FieldMask__Output as _google_protobuf_FieldMask__Output } from './google/protobuf/FieldMask';
import type { ListValue as _google_protobuf_ListValue, ListValue__Output as _google_protobuf_ListValue__Output } from './google/protobuf/ListValue';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from './google/protobuf/Struct';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from './google/protobuf/Value';
import type { Advice as _orchestrator_v1_Advice, Advice__Output as _orchestrator_v1_Advice__Output } from './orchestrator/v1/Advice';
import type { AdviceAccuracy as _orchestrator_v1_AdviceAccuracy, AdviceAccuracy__Output as _orchestrator_v1_AdviceAccuracy__Output } from './orchestrator/v1/AdviceAccuracy';
import type { AdviceWarning as _orchestrator_v1_AdviceWarning, AdviceWarning__Output as _orchestrator_v1_AdviceWarning__Output } from './orchestrator/v1/AdviceWarning';
import type { AdviseRequest as _orchestrator_v1_AdviseRequest, AdviseRequest__Output as _orchestrator_v1_AdviseRequest__Output } from './orchestrator/v1/AdviseRequest';
import type { AgentInstance as _orchestrator_v1_AgentInstance, AgentInstance__Output as _orchestrator_v1_AgentInstance__Output } from './orchestrator/v1/AgentInstance';
import type { AgentStatus as _orchestrator_v1_AgentStatus, AgentStatus__Output as _orchestrator_v1_AgentStatus__Output } from './orchestrator/v1/AgentStatus';
import type { AgentWait as _orchestrator_v1_AgentWait, AgentWait__Output as _orchestrator_v1_AgentWait__Output } from './orchestrator/v1/AgentWait';
import type { ApproveTaskRequest as _orchestrator_v1_ApproveTaskRequest, ApproveTaskRequest__Output as _orchestrator_v1_ApproveTaskRequest__Output } from './orchestrator/v1/ApproveTaskRequest';
import type { Attempt as _orchestrator_v1_Attempt, Attempt__Output as _orchestrator_v1_Attempt__Output } from './orchestrator/v1/Attempt';
import type { Budget as _orchestrator_v1_Budget, Budget__Output as _orchestrator_v1_Budget__Output } from './orchestrator/v1/Budget';
import type { CancelRunRequest as _orchestrator_v1_CancelRunRequest, CancelRunRequest__Output as _orchestrator_v1_CancelRunRequest__Output } from './orchestrator/v1/CancelRunRequest';
import type { ChildRun as _orchestrator_v1_ChildRun, ChildRun__Output as _orchestrator_v1_ChildRun__Output } from './orchestrator/v1/ChildRun';
import type { CompleteTaskRequest as _orchestrator_v1_CompleteTaskRequest, CompleteTaskRequest__Output as _orchestrator_v1_CompleteTaskRequest__Output } from './orchestrator/v1/CompleteTaskRequest';
import type { CompleteTaskResponse as _orchestrator_v1_CompleteTaskResponse, CompleteTaskResponse__Output as _orchestrator_v1_CompleteTaskResponse__Output } from './orchestrator/v1/CompleteTaskResponse';
import type { CompleteTaskResult as _orchestrator_v1_CompleteTaskResult, CompleteTaskResult__Output as _orchestrator_v1_CompleteTaskResult__Output } from './orchestrator/v1/CompleteTaskResult';
import type { CompleteTasksRequest as _orchestrator_v1_CompleteTasksRequest, CompleteTasksRequest__Output as _orchestrator_v1_CompleteTasksRequest__Output } from './orchestrator/v1/CompleteTasksRequest';
import type { CompleteTasksResponse as _orchestrator_v1_CompleteTasksResponse, CompleteTasksResponse__Output as _orchestrator_v1_CompleteTasksResponse__Output } from './orchestrator/v1/CompleteTasksResponse';
import type { Condition as _orchestrator_v1_Condition, Condition__Output as _orchestrator_v1_Condition__Output } from './orchestrator/v1/Condition';
import type { ContinueTaskRequest as _orchestrator_v1_ContinueTaskRequest, ContinueTaskRequest__Output as _orchestrator_v1_ContinueTaskRequest__Output } from './orchestrator/v1/ContinueTaskRequest';
import type { ContinueTaskResponse as _orchestrator_v1_ContinueTaskResponse, ContinueTaskResponse__Output as _orchestrator_v1_ContinueTaskResponse__Output } from './orchestrator/v1/ContinueTaskResponse';
import type { CoordinatorServiceClient as _orchestrator_v1_CoordinatorServiceClient, CoordinatorServiceDefinition as _orchestrator_v1_CoordinatorServiceDefinition } from './orchestrator/v1/CoordinatorService';
import type { CreateRecipeFromRunRequest as _orchestrator_v1_CreateRecipeFromRunRequest, CreateRecipeFromRunRequest__Output as _orchestrator_v1_CreateRecipeFromRunRequest__Output } from './orchestrator/v1/CreateRecipeFromRunRequest';
import type { CreateRecipeFromRunResponse as _orchestrator_v1_CreateRecipeFromRunResponse, CreateRecipeFromRunResponse__Output as _orchestrator_v1_CreateRecipeFromRunResponse__Output } from './orchestrator/v1/CreateRecipeFromRunResponse';
import type { CreateRecipeRequest as _orchestrator_v1_CreateRecipeRequest, CreateRecipeRequest__Output as _orchestrator_v1_CreateRecipeRequest__Output } from './orchestrator/v1/CreateRecipeRequest';
import type { CreateRunRequest as _orchestrator_v1_CreateRunRequest, CreateRunRequest__Output as _orchestrator_v1_CreateRunRequest__Output } from './orchestrator/v1/CreateRunRequest';
import type { CreateRunResponse as _orchestrator_v1_CreateRunResponse, CreateRunResponse__Output as _orchestrator_v1_CreateRunResponse__Output } from './orchestrator/v1/CreateRunResponse';
import type { Criterion as _orchestrator_v1_Criterion, Criterion__Output as _orchestrator_v1_Criterion__Output } from './orchestrator/v1/Criterion';
import type { CriterionResult as _orchestrator_v1_CriterionResult, CriterionResult__Output as _orchestrator_v1_CriterionResult__Output } from './orchestrator/v1/CriterionResult';
import type { DeleteRecipeRequest as _orchestrator_v1_DeleteRecipeRequest, DeleteRecipeRequest__Output as _orchestrator_v1_DeleteRecipeRequest__Output } from './orchestrator/v1/DeleteRecipeRequest';
import type { DeleteRecipeResponse as _orchestrator_v1_DeleteRecipeResponse, DeleteRecipeResponse__Output as _orchestrator_v1_DeleteRecipeResponse__Output } from './orchestrator/v1/DeleteRecipeResponse';
import type { FailTaskRequest as _orchestrator_v1_FailTaskRequest, FailTaskRequest__Output as _orchestrator_v1_FailTaskRequest__Output } from './orchestrator/v1/FailTaskRequest';
import type { FailTaskResponse as _orchestrator_v1_FailTaskResponse, FailTaskResponse__Output as _orchestrator_v1_FailTaskResponse__Output } from './orchestrator/v1/FailTaskResponse';
import type { GetRecipeRequest as _orchestrator_v1_GetRecipeRequest, GetRecipeRequest__Output as _orchestrator_v1_GetRecipeRequest__Output } from './orchestrator/v1/GetRecipeRequest';
import type { GetRunRequest as _orchestrator_v1_GetRunRequest, GetRunRequest__Output as _orchestrator_v1_GetRunRequest__Output } from './orchestrator/v1/GetRunRequest';
import type { GetRunTraceRequest as _orchestrator_v1_GetRunTraceRequest, GetRunTraceRequest__Output as _orchestrator_v1_GetRunTraceRequest__Output } from './orchestrator/v1/GetRunTraceRequest';
import type { GetStatsRequest as _orchestrator_v1_GetStatsRequest, GetStatsRequest__Output as _orchestrator_v1_GetStatsRequest__Output } from './orchestrator/v1/GetStatsRequest';
import type { GetStatsResponse as _orchestrator_v1_GetStatsResponse, GetStatsResponse__Output as _orchestrator_v1_GetStatsResponse__Output } from './orchestrator/v1/GetStatsResponse';
import type { GetTaskRequest as _orchestrator_v1_GetTaskRequest, GetTaskRequest__Output as _orchestrator_v1_GetTaskRequest__Output } from './orchestrator/v1/GetTaskRequest';
import type { GroupStats as _orchestrator_v1_GroupStats, GroupStats__Output as _orchestrator_v1_GroupStats__Output } from './orchestrator/v1/GroupStats';
import type { GuidanceServiceClient as _orchestrator_v1_GuidanceServiceClient, GuidanceServiceDefinition as _orchestrator_v1_GuidanceServiceDefinition } from './orchestrator/v1/GuidanceService';
import type { HeartbeatRequest as _orchestrator_v1_HeartbeatRequest, HeartbeatRequest__Output as _orchestrator_v1_HeartbeatRequest__Output } from './orchestrator/v1/HeartbeatRequest';
import type { HeartbeatResponse as _orchestrator_v1_HeartbeatResponse, HeartbeatResponse__Output as _orchestrator_v1_HeartbeatResponse__Output } from './orchestrator/v1/HeartbeatResponse';
import type { ListAgentsRequest as _orchestrator_v1_ListAgentsRequest, ListAgentsRequest__Output as _orchestrator_v1_ListAgentsRequest__Output } from './orchestrator/v1/ListAgentsRequest';
import type { ListAgentsResponse as _orchestrator_v1_ListAgentsResponse, ListAgentsResponse__Output as _orchestrator_v1_ListAgentsResponse__Output } from './orchestrator/v1/ListAgentsResponse';
import type { ListRecipeCandidatesRequest as _orchestrator_v1_ListRecipeCandidatesRequest, ListRecipeCandidatesRequest__Output as _orchestrator_v1_ListRecipeCandidatesRequest__Output } from './orchestrator/v1/ListRecipeCandidatesRequest';
import type { ListRecipeCandidatesResponse as _orchestrator_v1_ListRecipeCandidatesResponse, ListRecipeCandidatesResponse__Output as _orchestrator_v1_ListRecipeCandidatesResponse__Output } from './orchestrator/v1/ListRecipeCandidatesResponse';
import type { ListRecipesRequest as _orchestrator_v1_ListRecipesRequest, ListRecipesRequest__Output as _orchestrator_v1_ListRecipesRequest__Output } from './orchestrator/v1/ListRecipesRequest';
import type { ListRecipesResponse as _orchestrator_v1_ListRecipesResponse, ListRecipesResponse__Output as _orchestrator_v1_ListRecipesResponse__Output } from './orchestrator/v1/ListRecipesResponse';
import type { ListRetryOutcomesRequest as _orchestrator_v1_ListRetryOutcomesRequest, ListRetryOutcomesRequest__Output as _orchestrator_v1_ListRetryOutcomesRequest__Output } from './orchestrator/v1/ListRetryOutcomesRequest';
import type { ListRetryOutcomesResponse as _orchestrator_v1_ListRetryOutcomesResponse, ListRetryOutcomesResponse__Output as _orchestrator_v1_ListRetryOutcomesResponse__Output } from './orchestrator/v1/ListRetryOutcomesResponse';
import type { ListRunEventsRequest as _orchestrator_v1_ListRunEventsRequest, ListRunEventsRequest__Output as _orchestrator_v1_ListRunEventsRequest__Output } from './orchestrator/v1/ListRunEventsRequest';
import type { ListRunEventsResponse as _orchestrator_v1_ListRunEventsResponse, ListRunEventsResponse__Output as _orchestrator_v1_ListRunEventsResponse__Output } from './orchestrator/v1/ListRunEventsResponse';
import type { ListRunsRequest as _orchestrator_v1_ListRunsRequest, ListRunsRequest__Output as _orchestrator_v1_ListRunsRequest__Output } from './orchestrator/v1/ListRunsRequest';
import type { ListRunsResponse as _orchestrator_v1_ListRunsResponse, ListRunsResponse__Output as _orchestrator_v1_ListRunsResponse__Output } from './orchestrator/v1/ListRunsResponse';
import type { ListTasksRequest as _orchestrator_v1_ListTasksRequest, ListTasksRequest__Output as _orchestrator_v1_ListTasksRequest__Output } from './orchestrator/v1/ListTasksRequest';
import type { ListTasksResponse as _orchestrator_v1_ListTasksResponse, ListTasksResponse__Output as _orchestrator_v1_ListTasksResponse__Output } from './orchestrator/v1/ListTasksResponse';
import type { ParameterFromValue as _orchestrator_v1_ParameterFromValue, ParameterFromValue__Output as _orchestrator_v1_ParameterFromValue__Output } from './orchestrator/v1/ParameterFromValue';
import type { PauseRunRequest as _orchestrator_v1_PauseRunRequest, PauseRunRequest__Output as _orchestrator_v1_PauseRunRequest__Output } from './orchestrator/v1/PauseRunRequest';
import type { Plan as _orchestrator_v1_Plan, Plan__Output as _orchestrator_v1_Plan__Output } from './orchestrator/v1/Plan';
import type { PlanAnalysis as _orchestrator_v1_PlanAnalysis, PlanAnalysis__Output as _orchestrator_v1_PlanAnalysis__Output } from './orchestrator/v1/PlanAnalysis';
import type { PlanRunRequest as _orchestrator_v1_PlanRunRequest, PlanRunRequest__Output as _orchestrator_v1_PlanRunRequest__Output } from './orchestrator/v1/PlanRunRequest';
import type { PlanRunResponse as _orchestrator_v1_PlanRunResponse, PlanRunResponse__Output as _orchestrator_v1_PlanRunResponse__Output } from './orchestrator/v1/PlanRunResponse';
import type { PollTaskRequest as _orchestrator_v1_PollTaskRequest, PollTaskRequest__Output as _orchestrator_v1_PollTaskRequest__Output } from './orchestrator/v1/PollTaskRequest';
import type { PollTaskResponse as _orchestrator_v1_PollTaskResponse, PollTaskResponse__Output as _orchestrator_v1_PollTaskResponse__Output } from './orchestrator/v1/PollTaskResponse';
import type { Prediction as _orchestrator_v1_Prediction, Prediction__Output as _orchestrator_v1_Prediction__Output } from './orchestrator/v1/Prediction';
import type { Rate as _orchestrator_v1_Rate, Rate__Output as _orchestrator_v1_Rate__Output } from './orchestrator/v1/Rate';
import type { Recipe as _orchestrator_v1_Recipe, Recipe__Output as _orchestrator_v1_Recipe__Output } from './orchestrator/v1/Recipe';
import type { RecipeCandidate as _orchestrator_v1_RecipeCandidate, RecipeCandidate__Output as _orchestrator_v1_RecipeCandidate__Output } from './orchestrator/v1/RecipeCandidate';
import type { RecipeParameter as _orchestrator_v1_RecipeParameter, RecipeParameter__Output as _orchestrator_v1_RecipeParameter__Output } from './orchestrator/v1/RecipeParameter';
import type { RecipeRef as _orchestrator_v1_RecipeRef, RecipeRef__Output as _orchestrator_v1_RecipeRef__Output } from './orchestrator/v1/RecipeRef';
import type { RecipeServiceClient as _orchestrator_v1_RecipeServiceClient, RecipeServiceDefinition as _orchestrator_v1_RecipeServiceDefinition } from './orchestrator/v1/RecipeService';
import type { RecipeVersion as _orchestrator_v1_RecipeVersion, RecipeVersion__Output as _orchestrator_v1_RecipeVersion__Output } from './orchestrator/v1/RecipeVersion';
import type { RejectTaskRequest as _orchestrator_v1_RejectTaskRequest, RejectTaskRequest__Output as _orchestrator_v1_RejectTaskRequest__Output } from './orchestrator/v1/RejectTaskRequest';
import type { Repoint as _orchestrator_v1_Repoint, Repoint__Output as _orchestrator_v1_Repoint__Output } from './orchestrator/v1/Repoint';
import type { ResumeRunRequest as _orchestrator_v1_ResumeRunRequest, ResumeRunRequest__Output as _orchestrator_v1_ResumeRunRequest__Output } from './orchestrator/v1/ResumeRunRequest';
import type { RetryOutcome as _orchestrator_v1_RetryOutcome, RetryOutcome__Output as _orchestrator_v1_RetryOutcome__Output } from './orchestrator/v1/RetryOutcome';
import type { RetryPolicy as _orchestrator_v1_RetryPolicy, RetryPolicy__Output as _orchestrator_v1_RetryPolicy__Output } from './orchestrator/v1/RetryPolicy';
import type { RetryTaskRequest as _orchestrator_v1_RetryTaskRequest, RetryTaskRequest__Output as _orchestrator_v1_RetryTaskRequest__Output } from './orchestrator/v1/RetryTaskRequest';
import type { Run as _orchestrator_v1_Run, Run__Output as _orchestrator_v1_Run__Output } from './orchestrator/v1/Run';
import type { RunEvent as _orchestrator_v1_RunEvent, RunEvent__Output as _orchestrator_v1_RunEvent__Output } from './orchestrator/v1/RunEvent';
import type { RunParent as _orchestrator_v1_RunParent, RunParent__Output as _orchestrator_v1_RunParent__Output } from './orchestrator/v1/RunParent';
import type { RunPolicy as _orchestrator_v1_RunPolicy, RunPolicy__Output as _orchestrator_v1_RunPolicy__Output } from './orchestrator/v1/RunPolicy';
import type { RunServiceClient as _orchestrator_v1_RunServiceClient, RunServiceDefinition as _orchestrator_v1_RunServiceDefinition } from './orchestrator/v1/RunService';
import type { RunTrace as _orchestrator_v1_RunTrace, RunTrace__Output as _orchestrator_v1_RunTrace__Output } from './orchestrator/v1/RunTrace';
import type { Span as _orchestrator_v1_Span, Span__Output as _orchestrator_v1_Span__Output } from './orchestrator/v1/Span';
import type { SpanEvent as _orchestrator_v1_SpanEvent, SpanEvent__Output as _orchestrator_v1_SpanEvent__Output } from './orchestrator/v1/SpanEvent';
import type { Task as _orchestrator_v1_Task, Task__Output as _orchestrator_v1_Task__Output } from './orchestrator/v1/Task';
import type { TaskAdvice as _orchestrator_v1_TaskAdvice, TaskAdvice__Output as _orchestrator_v1_TaskAdvice__Output } from './orchestrator/v1/TaskAdvice';
import type { TaskAssignment as _orchestrator_v1_TaskAssignment, TaskAssignment__Output as _orchestrator_v1_TaskAssignment__Output } from './orchestrator/v1/TaskAssignment';
import type { TaskSpec as _orchestrator_v1_TaskSpec, TaskSpec__Output as _orchestrator_v1_TaskSpec__Output } from './orchestrator/v1/TaskSpec';
import type { Usage as _orchestrator_v1_Usage, Usage__Output as _orchestrator_v1_Usage__Output } from './orchestrator/v1/Usage';
import type { ValidatePlanRequest as _orchestrator_v1_ValidatePlanRequest, ValidatePlanRequest__Output as _orchestrator_v1_ValidatePlanRequest__Output } from './orchestrator/v1/ValidatePlanRequest';
import type { ValidatePlanResponse as _orchestrator_v1_ValidatePlanResponse, ValidatePlanResponse__Output as _orchestrator_v1_ValidatePlanResponse__Output } from './orchestrator/v1/ValidatePlanResponse';
import type { Verdict as _orchestrator_v1_Verdict, Verdict__Output as _orchestrator_v1_Verdict__Output } from './orchestrator/v1/Verdict';
import type { WatchRunRequest as _orchestrator_v1_WatchRunRequest, WatchRunRequest__Output as _orchestrator_v1_WatchRunRequest__Output } from './orchestrator/v1/WatchRunRequest';
type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
    new (...args: ConstructorParameters<Constructor>): Subtype;
};
export interface ProtoGrpcType {
    google: {
        protobuf: {
            Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>;
            FieldMask: MessageTypeDefinition<_google_protobuf_FieldMask, _google_protobuf_FieldMask__Output>;
            ListValue: MessageTypeDefinition<_google_protobuf_ListValue, _google_protobuf_ListValue__Output>;
            NullValue: EnumTypeDefinition;
            Struct: MessageTypeDefinition<_google_protobuf_Struct, _google_protobuf_Struct__Output>;
            Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>;
            Value: MessageTypeDefinition<_google_protobuf_Value, _google_protobuf_Value__Output>;
        };
    };
    orchestrator: {
        v1: {
            Advice: MessageTypeDefinition<_orchestrator_v1_Advice, _orchestrator_v1_Advice__Output>;
            AdviceAccuracy: MessageTypeDefinition<_orchestrator_v1_AdviceAccuracy, _orchestrator_v1_AdviceAccuracy__Output>;
            AdviceWarning: MessageTypeDefinition<_orchestrator_v1_AdviceWarning, _orchestrator_v1_AdviceWarning__Output>;
            AdviseRequest: MessageTypeDefinition<_orchestrator_v1_AdviseRequest, _orchestrator_v1_AdviseRequest__Output>;
            AgentDirective: EnumTypeDefinition;
            AgentInstance: MessageTypeDefinition<_orchestrator_v1_AgentInstance, _orchestrator_v1_AgentInstance__Output>;
            AgentStatus: MessageTypeDefinition<_orchestrator_v1_AgentStatus, _orchestrator_v1_AgentStatus__Output>;
            AgentWait: MessageTypeDefinition<_orchestrator_v1_AgentWait, _orchestrator_v1_AgentWait__Output>;
            AggregateMode: EnumTypeDefinition;
            ApproveTaskRequest: MessageTypeDefinition<_orchestrator_v1_ApproveTaskRequest, _orchestrator_v1_ApproveTaskRequest__Output>;
            Attempt: MessageTypeDefinition<_orchestrator_v1_Attempt, _orchestrator_v1_Attempt__Output>;
            AttemptStatus: EnumTypeDefinition;
            Budget: MessageTypeDefinition<_orchestrator_v1_Budget, _orchestrator_v1_Budget__Output>;
            BudgetPolicy: EnumTypeDefinition;
            CancelRunRequest: MessageTypeDefinition<_orchestrator_v1_CancelRunRequest, _orchestrator_v1_CancelRunRequest__Output>;
            ChildRun: MessageTypeDefinition<_orchestrator_v1_ChildRun, _orchestrator_v1_ChildRun__Output>;
            CompleteTaskRequest: MessageTypeDefinition<_orchestrator_v1_CompleteTaskRequest, _orchestrator_v1_CompleteTaskRequest__Output>;
            CompleteTaskResponse: MessageTypeDefinition<_orchestrator_v1_CompleteTaskResponse, _orchestrator_v1_CompleteTaskResponse__Output>;
            CompleteTaskResult: MessageTypeDefinition<_orchestrator_v1_CompleteTaskResult, _orchestrator_v1_CompleteTaskResult__Output>;
            CompleteTasksRequest: MessageTypeDefinition<_orchestrator_v1_CompleteTasksRequest, _orchestrator_v1_CompleteTasksRequest__Output>;
            CompleteTasksResponse: MessageTypeDefinition<_orchestrator_v1_CompleteTasksResponse, _orchestrator_v1_CompleteTasksResponse__Output>;
            Condition: MessageTypeDefinition<_orchestrator_v1_Condition, _orchestrator_v1_Condition__Output>;
            ContinueTaskRequest: MessageTypeDefinition<_orchestrator_v1_ContinueTaskRequest, _orchestrator_v1_ContinueTaskRequest__Output>;
            ContinueTaskResponse: MessageTypeDefinition<_orchestrator_v1_ContinueTaskResponse, _orchestrator_v1_ContinueTaskResponse__Output>;
            /**
             * Planning, plan validation, and the agent protocol.
             *
             * The agent protocol lets programs in any language execute tasks: long-poll
             * PollTask for a leased assignment, Heartbeat to keep the lease, then
             * CompleteTask or FailTask. A lease is fenced: once it expired or its attempt
             * ended, every call with it answers FAILED_PRECONDITION, so exactly one
             * outcome is recorded per attempt. The one exception: a Heartbeat on an
             * attempt that its run's cancellation ended answers OK with
             * AGENT_DIRECTIVE_CANCEL, so that the agent learns why.
             */
            CoordinatorService: SubtypeConstructor<typeof grpc.Client, _orchestrator_v1_CoordinatorServiceClient> & {
                service: _orchestrator_v1_CoordinatorServiceDefinition;
            };
            CreateRecipeFromRunRequest: MessageTypeDefinition<_orchestrator_v1_CreateRecipeFromRunRequest, _orchestrator_v1_CreateRecipeFromRunRequest__Output>;
            CreateRecipeFromRunResponse: MessageTypeDefinition<_orchestrator_v1_CreateRecipeFromRunResponse, _orchestrator_v1_CreateRecipeFromRunResponse__Output>;
            CreateRecipeRequest: MessageTypeDefinition<_orchestrator_v1_CreateRecipeRequest, _orchestrator_v1_CreateRecipeRequest__Output>;
            CreateRunRequest: MessageTypeDefinition<_orchestrator_v1_CreateRunRequest, _orchestrator_v1_CreateRunRequest__Output>;
            CreateRunResponse: MessageTypeDefinition<_orchestrator_v1_CreateRunResponse, _orchestrator_v1_CreateRunResponse__Output>;
            Criterion: MessageTypeDefinition<_orchestrator_v1_Criterion, _orchestrator_v1_Criterion__Output>;
            CriterionResult: MessageTypeDefinition<_orchestrator_v1_CriterionResult, _orchestrator_v1_CriterionResult__Output>;
            DeleteRecipeRequest: MessageTypeDefinition<_orchestrator_v1_DeleteRecipeRequest, _orchestrator_v1_DeleteRecipeRequest__Output>;
            DeleteRecipeResponse: MessageTypeDefinition<_orchestrator_v1_DeleteRecipeResponse, _orchestrator_v1_DeleteRecipeResponse__Output>;
            FailTaskRequest: MessageTypeDefinition<_orchestrator_v1_FailTaskRequest, _orchestrator_v1_FailTaskRequest__Output>;
            FailTaskResponse: MessageTypeDefinition<_orchestrator_v1_FailTaskResponse, _orchestrator_v1_FailTaskResponse__Output>;
            GetRecipeRequest: MessageTypeDefinition<_orchestrator_v1_GetRecipeRequest, _orchestrator_v1_GetRecipeRequest__Output>;
            GetRunRequest: MessageTypeDefinition<_orchestrator_v1_GetRunRequest, _orchestrator_v1_GetRunRequest__Output>;
            GetRunTraceRequest: MessageTypeDefinition<_orchestrator_v1_GetRunTraceRequest, _orchestrator_v1_GetRunTraceRequest__Output>;
            GetStatsRequest: MessageTypeDefinition<_orchestrator_v1_GetStatsRequest, _orchestrator_v1_GetStatsRequest__Output>;
            GetStatsResponse: MessageTypeDefinition<_orchestrator_v1_GetStatsResponse, _orchestrator_v1_GetStatsResponse__Output>;
            GetTaskRequest: MessageTypeDefinition<_orchestrator_v1_GetTaskRequest, _orchestrator_v1_GetTaskRequest__Output>;
            GroupStats: MessageTypeDefinition<_orchestrator_v1_GroupStats, _orchestrator_v1_GroupStats__Output>;
            /**
             * Guidance: what a workspace's history says. Every finished attempt is
             * recorded as an outcome (its agent, executor and model, its run's recipe,
             * its task's kind, whether it passed, its verdict's score, tokens, cost and
             * latency) by a background recorder, within about a second of its end (an
             * attempt being verified waits for its verdict). Outcomes hold ids, names,
             * numbers and a task's kind (the first words of its title), no input or
             * output, and outlive their runs (400 days). Operators and viewers read.
             */
            GuidanceService: SubtypeConstructor<typeof grpc.Client, _orchestrator_v1_GuidanceServiceClient> & {
                service: _orchestrator_v1_GuidanceServiceDefinition;
            };
            HeartbeatRequest: MessageTypeDefinition<_orchestrator_v1_HeartbeatRequest, _orchestrator_v1_HeartbeatRequest__Output>;
            HeartbeatResponse: MessageTypeDefinition<_orchestrator_v1_HeartbeatResponse, _orchestrator_v1_HeartbeatResponse__Output>;
            ListAgentsRequest: MessageTypeDefinition<_orchestrator_v1_ListAgentsRequest, _orchestrator_v1_ListAgentsRequest__Output>;
            ListAgentsResponse: MessageTypeDefinition<_orchestrator_v1_ListAgentsResponse, _orchestrator_v1_ListAgentsResponse__Output>;
            ListRecipeCandidatesRequest: MessageTypeDefinition<_orchestrator_v1_ListRecipeCandidatesRequest, _orchestrator_v1_ListRecipeCandidatesRequest__Output>;
            ListRecipeCandidatesResponse: MessageTypeDefinition<_orchestrator_v1_ListRecipeCandidatesResponse, _orchestrator_v1_ListRecipeCandidatesResponse__Output>;
            ListRecipesRequest: MessageTypeDefinition<_orchestrator_v1_ListRecipesRequest, _orchestrator_v1_ListRecipesRequest__Output>;
            ListRecipesResponse: MessageTypeDefinition<_orchestrator_v1_ListRecipesResponse, _orchestrator_v1_ListRecipesResponse__Output>;
            ListRetryOutcomesRequest: MessageTypeDefinition<_orchestrator_v1_ListRetryOutcomesRequest, _orchestrator_v1_ListRetryOutcomesRequest__Output>;
            ListRetryOutcomesResponse: MessageTypeDefinition<_orchestrator_v1_ListRetryOutcomesResponse, _orchestrator_v1_ListRetryOutcomesResponse__Output>;
            ListRunEventsRequest: MessageTypeDefinition<_orchestrator_v1_ListRunEventsRequest, _orchestrator_v1_ListRunEventsRequest__Output>;
            ListRunEventsResponse: MessageTypeDefinition<_orchestrator_v1_ListRunEventsResponse, _orchestrator_v1_ListRunEventsResponse__Output>;
            ListRunsRequest: MessageTypeDefinition<_orchestrator_v1_ListRunsRequest, _orchestrator_v1_ListRunsRequest__Output>;
            ListRunsResponse: MessageTypeDefinition<_orchestrator_v1_ListRunsResponse, _orchestrator_v1_ListRunsResponse__Output>;
            ListTasksRequest: MessageTypeDefinition<_orchestrator_v1_ListTasksRequest, _orchestrator_v1_ListTasksRequest__Output>;
            ListTasksResponse: MessageTypeDefinition<_orchestrator_v1_ListTasksResponse, _orchestrator_v1_ListTasksResponse__Output>;
            ParameterFromValue: MessageTypeDefinition<_orchestrator_v1_ParameterFromValue, _orchestrator_v1_ParameterFromValue__Output>;
            ParameterType: EnumTypeDefinition;
            PauseRunRequest: MessageTypeDefinition<_orchestrator_v1_PauseRunRequest, _orchestrator_v1_PauseRunRequest__Output>;
            Plan: MessageTypeDefinition<_orchestrator_v1_Plan, _orchestrator_v1_Plan__Output>;
            PlanAnalysis: MessageTypeDefinition<_orchestrator_v1_PlanAnalysis, _orchestrator_v1_PlanAnalysis__Output>;
            PlanRunRequest: MessageTypeDefinition<_orchestrator_v1_PlanRunRequest, _orchestrator_v1_PlanRunRequest__Output>;
            PlanRunResponse: MessageTypeDefinition<_orchestrator_v1_PlanRunResponse, _orchestrator_v1_PlanRunResponse__Output>;
            PollTaskRequest: MessageTypeDefinition<_orchestrator_v1_PollTaskRequest, _orchestrator_v1_PollTaskRequest__Output>;
            PollTaskResponse: MessageTypeDefinition<_orchestrator_v1_PollTaskResponse, _orchestrator_v1_PollTaskResponse__Output>;
            Prediction: MessageTypeDefinition<_orchestrator_v1_Prediction, _orchestrator_v1_Prediction__Output>;
            Rate: MessageTypeDefinition<_orchestrator_v1_Rate, _orchestrator_v1_Rate__Output>;
            Recipe: MessageTypeDefinition<_orchestrator_v1_Recipe, _orchestrator_v1_Recipe__Output>;
            RecipeCandidate: MessageTypeDefinition<_orchestrator_v1_RecipeCandidate, _orchestrator_v1_RecipeCandidate__Output>;
            RecipeParameter: MessageTypeDefinition<_orchestrator_v1_RecipeParameter, _orchestrator_v1_RecipeParameter__Output>;
            RecipeRef: MessageTypeDefinition<_orchestrator_v1_RecipeRef, _orchestrator_v1_RecipeRef__Output>;
            /**
             * Recipes: named, versioned run templates of a workspace. A recipe's
             * template is a CreateRunRequest whose text fields may use its parameters
             * as `{{name}}`: the goal, the labels' values, the context's strings, the
             * criteria's string parameters, and of every task (child plans' too) the
             * title, the instructions, the metadata's strings and a child run's goal;
             * never ids or agents. Every edit is a new, immutable version; CreateRun
             * with `recipe` renders one (its latest by default) with the run's params.
             * Operators create and delete; viewers read.
             */
            RecipeService: SubtypeConstructor<typeof grpc.Client, _orchestrator_v1_RecipeServiceClient> & {
                service: _orchestrator_v1_RecipeServiceDefinition;
            };
            RecipeVersion: MessageTypeDefinition<_orchestrator_v1_RecipeVersion, _orchestrator_v1_RecipeVersion__Output>;
            RejectTaskRequest: MessageTypeDefinition<_orchestrator_v1_RejectTaskRequest, _orchestrator_v1_RejectTaskRequest__Output>;
            RejectionAction: EnumTypeDefinition;
            Repoint: MessageTypeDefinition<_orchestrator_v1_Repoint, _orchestrator_v1_Repoint__Output>;
            ResumeRunRequest: MessageTypeDefinition<_orchestrator_v1_ResumeRunRequest, _orchestrator_v1_ResumeRunRequest__Output>;
            RetriesExhaustedAction: EnumTypeDefinition;
            RetryOutcome: MessageTypeDefinition<_orchestrator_v1_RetryOutcome, _orchestrator_v1_RetryOutcome__Output>;
            RetryPolicy: MessageTypeDefinition<_orchestrator_v1_RetryPolicy, _orchestrator_v1_RetryPolicy__Output>;
            RetryTaskRequest: MessageTypeDefinition<_orchestrator_v1_RetryTaskRequest, _orchestrator_v1_RetryTaskRequest__Output>;
            Run: MessageTypeDefinition<_orchestrator_v1_Run, _orchestrator_v1_Run__Output>;
            RunEvent: MessageTypeDefinition<_orchestrator_v1_RunEvent, _orchestrator_v1_RunEvent__Output>;
            RunParent: MessageTypeDefinition<_orchestrator_v1_RunParent, _orchestrator_v1_RunParent__Output>;
            RunPolicy: MessageTypeDefinition<_orchestrator_v1_RunPolicy, _orchestrator_v1_RunPolicy__Output>;
            /**
             * Create, inspect, steer and watch runs.
             *
             * Every call is scoped to the caller's workspace: a run of another workspace
             * answers NOT_FOUND. Bad input answers INVALID_ARGUMENT with a
             * google.rpc.BadRequest listing every field violation.
             */
            RunService: SubtypeConstructor<typeof grpc.Client, _orchestrator_v1_RunServiceClient> & {
                service: _orchestrator_v1_RunServiceDefinition;
            };
            RunStatus: EnumTypeDefinition;
            RunTrace: MessageTypeDefinition<_orchestrator_v1_RunTrace, _orchestrator_v1_RunTrace__Output>;
            RunView: EnumTypeDefinition;
            Span: MessageTypeDefinition<_orchestrator_v1_Span, _orchestrator_v1_Span__Output>;
            SpanEvent: MessageTypeDefinition<_orchestrator_v1_SpanEvent, _orchestrator_v1_SpanEvent__Output>;
            StatsGroup: EnumTypeDefinition;
            Task: MessageTypeDefinition<_orchestrator_v1_Task, _orchestrator_v1_Task__Output>;
            TaskAdvice: MessageTypeDefinition<_orchestrator_v1_TaskAdvice, _orchestrator_v1_TaskAdvice__Output>;
            TaskAssignment: MessageTypeDefinition<_orchestrator_v1_TaskAssignment, _orchestrator_v1_TaskAssignment__Output>;
            TaskFailureAction: EnumTypeDefinition;
            TaskKind: EnumTypeDefinition;
            TaskSpec: MessageTypeDefinition<_orchestrator_v1_TaskSpec, _orchestrator_v1_TaskSpec__Output>;
            TaskStatus: EnumTypeDefinition;
            Usage: MessageTypeDefinition<_orchestrator_v1_Usage, _orchestrator_v1_Usage__Output>;
            ValidatePlanRequest: MessageTypeDefinition<_orchestrator_v1_ValidatePlanRequest, _orchestrator_v1_ValidatePlanRequest__Output>;
            ValidatePlanResponse: MessageTypeDefinition<_orchestrator_v1_ValidatePlanResponse, _orchestrator_v1_ValidatePlanResponse__Output>;
            Verdict: MessageTypeDefinition<_orchestrator_v1_Verdict, _orchestrator_v1_Verdict__Output>;
            WatchRunRequest: MessageTypeDefinition<_orchestrator_v1_WatchRunRequest, _orchestrator_v1_WatchRunRequest__Output>;
        };
    };
}
export {};
