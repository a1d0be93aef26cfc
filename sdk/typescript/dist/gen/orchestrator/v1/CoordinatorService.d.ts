import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { CompleteTaskRequest as _orchestrator_v1_CompleteTaskRequest, CompleteTaskRequest__Output as _orchestrator_v1_CompleteTaskRequest__Output } from '../../orchestrator/v1/CompleteTaskRequest';
import type { CompleteTaskResponse as _orchestrator_v1_CompleteTaskResponse, CompleteTaskResponse__Output as _orchestrator_v1_CompleteTaskResponse__Output } from '../../orchestrator/v1/CompleteTaskResponse';
import type { CompleteTasksRequest as _orchestrator_v1_CompleteTasksRequest, CompleteTasksRequest__Output as _orchestrator_v1_CompleteTasksRequest__Output } from '../../orchestrator/v1/CompleteTasksRequest';
import type { CompleteTasksResponse as _orchestrator_v1_CompleteTasksResponse, CompleteTasksResponse__Output as _orchestrator_v1_CompleteTasksResponse__Output } from '../../orchestrator/v1/CompleteTasksResponse';
import type { ContinueTaskRequest as _orchestrator_v1_ContinueTaskRequest, ContinueTaskRequest__Output as _orchestrator_v1_ContinueTaskRequest__Output } from '../../orchestrator/v1/ContinueTaskRequest';
import type { ContinueTaskResponse as _orchestrator_v1_ContinueTaskResponse, ContinueTaskResponse__Output as _orchestrator_v1_ContinueTaskResponse__Output } from '../../orchestrator/v1/ContinueTaskResponse';
import type { FailTaskRequest as _orchestrator_v1_FailTaskRequest, FailTaskRequest__Output as _orchestrator_v1_FailTaskRequest__Output } from '../../orchestrator/v1/FailTaskRequest';
import type { FailTaskResponse as _orchestrator_v1_FailTaskResponse, FailTaskResponse__Output as _orchestrator_v1_FailTaskResponse__Output } from '../../orchestrator/v1/FailTaskResponse';
import type { HeartbeatRequest as _orchestrator_v1_HeartbeatRequest, HeartbeatRequest__Output as _orchestrator_v1_HeartbeatRequest__Output } from '../../orchestrator/v1/HeartbeatRequest';
import type { HeartbeatResponse as _orchestrator_v1_HeartbeatResponse, HeartbeatResponse__Output as _orchestrator_v1_HeartbeatResponse__Output } from '../../orchestrator/v1/HeartbeatResponse';
import type { PlanRunRequest as _orchestrator_v1_PlanRunRequest, PlanRunRequest__Output as _orchestrator_v1_PlanRunRequest__Output } from '../../orchestrator/v1/PlanRunRequest';
import type { PlanRunResponse as _orchestrator_v1_PlanRunResponse, PlanRunResponse__Output as _orchestrator_v1_PlanRunResponse__Output } from '../../orchestrator/v1/PlanRunResponse';
import type { PollTaskRequest as _orchestrator_v1_PollTaskRequest, PollTaskRequest__Output as _orchestrator_v1_PollTaskRequest__Output } from '../../orchestrator/v1/PollTaskRequest';
import type { PollTaskResponse as _orchestrator_v1_PollTaskResponse, PollTaskResponse__Output as _orchestrator_v1_PollTaskResponse__Output } from '../../orchestrator/v1/PollTaskResponse';
import type { ValidatePlanRequest as _orchestrator_v1_ValidatePlanRequest, ValidatePlanRequest__Output as _orchestrator_v1_ValidatePlanRequest__Output } from '../../orchestrator/v1/ValidatePlanRequest';
import type { ValidatePlanResponse as _orchestrator_v1_ValidatePlanResponse, ValidatePlanResponse__Output as _orchestrator_v1_ValidatePlanResponse__Output } from '../../orchestrator/v1/ValidatePlanResponse';
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
export interface CoordinatorServiceClient extends grpc.Client {
    /**
     * Report an attempt's output; ends the lease.
     */
    CompleteTask(argument: _orchestrator_v1_CompleteTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CompleteTaskResponse__Output>): grpc.ClientUnaryCall;
    CompleteTask(argument: _orchestrator_v1_CompleteTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_CompleteTaskResponse__Output>): grpc.ClientUnaryCall;
    CompleteTask(argument: _orchestrator_v1_CompleteTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CompleteTaskResponse__Output>): grpc.ClientUnaryCall;
    CompleteTask(argument: _orchestrator_v1_CompleteTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_CompleteTaskResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Report an attempt's output; ends the lease.
     */
    completeTask(argument: _orchestrator_v1_CompleteTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CompleteTaskResponse__Output>): grpc.ClientUnaryCall;
    completeTask(argument: _orchestrator_v1_CompleteTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_CompleteTaskResponse__Output>): grpc.ClientUnaryCall;
    completeTask(argument: _orchestrator_v1_CompleteTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CompleteTaskResponse__Output>): grpc.ClientUnaryCall;
    completeTask(argument: _orchestrator_v1_CompleteTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_CompleteTaskResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Report several attempts' outputs in one call and one transaction (an
     * agent that finished several tasks). Each lease is fenced and ends exactly
     * once, as with CompleteTask: a completion that is refused (a stale lease,
     * an output over the limit) is reported in its result and does not undo the
     * others. INVALID_ARGUMENT for the call as a whole only when it is malformed
     * (no completions, more than 64, one lease twice).
     */
    CompleteTasks(argument: _orchestrator_v1_CompleteTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CompleteTasksResponse__Output>): grpc.ClientUnaryCall;
    CompleteTasks(argument: _orchestrator_v1_CompleteTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_CompleteTasksResponse__Output>): grpc.ClientUnaryCall;
    CompleteTasks(argument: _orchestrator_v1_CompleteTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CompleteTasksResponse__Output>): grpc.ClientUnaryCall;
    CompleteTasks(argument: _orchestrator_v1_CompleteTasksRequest, callback: grpc.requestCallback<_orchestrator_v1_CompleteTasksResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Report several attempts' outputs in one call and one transaction (an
     * agent that finished several tasks). Each lease is fenced and ends exactly
     * once, as with CompleteTask: a completion that is refused (a stale lease,
     * an output over the limit) is reported in its result and does not undo the
     * others. INVALID_ARGUMENT for the call as a whole only when it is malformed
     * (no completions, more than 64, one lease twice).
     */
    completeTasks(argument: _orchestrator_v1_CompleteTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CompleteTasksResponse__Output>): grpc.ClientUnaryCall;
    completeTasks(argument: _orchestrator_v1_CompleteTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_CompleteTasksResponse__Output>): grpc.ClientUnaryCall;
    completeTasks(argument: _orchestrator_v1_CompleteTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CompleteTasksResponse__Output>): grpc.ClientUnaryCall;
    completeTasks(argument: _orchestrator_v1_CompleteTasksRequest, callback: grpc.requestCallback<_orchestrator_v1_CompleteTasksResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Ends the attempt's current turn asking for another: not done, not
     * failed. The task is handed out again after the server's continuation
     * delay (default 1s) as the same attempt's next turn, with `checkpoint`
     * and the turn number in the assignment; no backoff, nothing counted
     * against max_attempts, and the lease given here is spent. An attempt that
     * asks for more than the task's `max_turns` fails (not retried).
     */
    ContinueTask(argument: _orchestrator_v1_ContinueTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ContinueTaskResponse__Output>): grpc.ClientUnaryCall;
    ContinueTask(argument: _orchestrator_v1_ContinueTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ContinueTaskResponse__Output>): grpc.ClientUnaryCall;
    ContinueTask(argument: _orchestrator_v1_ContinueTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ContinueTaskResponse__Output>): grpc.ClientUnaryCall;
    ContinueTask(argument: _orchestrator_v1_ContinueTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_ContinueTaskResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Ends the attempt's current turn asking for another: not done, not
     * failed. The task is handed out again after the server's continuation
     * delay (default 1s) as the same attempt's next turn, with `checkpoint`
     * and the turn number in the assignment; no backoff, nothing counted
     * against max_attempts, and the lease given here is spent. An attempt that
     * asks for more than the task's `max_turns` fails (not retried).
     */
    continueTask(argument: _orchestrator_v1_ContinueTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ContinueTaskResponse__Output>): grpc.ClientUnaryCall;
    continueTask(argument: _orchestrator_v1_ContinueTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ContinueTaskResponse__Output>): grpc.ClientUnaryCall;
    continueTask(argument: _orchestrator_v1_ContinueTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ContinueTaskResponse__Output>): grpc.ClientUnaryCall;
    continueTask(argument: _orchestrator_v1_ContinueTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_ContinueTaskResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Report an attempt's failure; ends the lease.
     */
    FailTask(argument: _orchestrator_v1_FailTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_FailTaskResponse__Output>): grpc.ClientUnaryCall;
    FailTask(argument: _orchestrator_v1_FailTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_FailTaskResponse__Output>): grpc.ClientUnaryCall;
    FailTask(argument: _orchestrator_v1_FailTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_FailTaskResponse__Output>): grpc.ClientUnaryCall;
    FailTask(argument: _orchestrator_v1_FailTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_FailTaskResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Report an attempt's failure; ends the lease.
     */
    failTask(argument: _orchestrator_v1_FailTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_FailTaskResponse__Output>): grpc.ClientUnaryCall;
    failTask(argument: _orchestrator_v1_FailTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_FailTaskResponse__Output>): grpc.ClientUnaryCall;
    failTask(argument: _orchestrator_v1_FailTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_FailTaskResponse__Output>): grpc.ClientUnaryCall;
    failTask(argument: _orchestrator_v1_FailTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_FailTaskResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Extend a lease and report progress and cumulative usage.
     */
    Heartbeat(argument: _orchestrator_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
    Heartbeat(argument: _orchestrator_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
    Heartbeat(argument: _orchestrator_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
    Heartbeat(argument: _orchestrator_v1_HeartbeatRequest, callback: grpc.requestCallback<_orchestrator_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Extend a lease and report progress and cumulative usage.
     */
    heartbeat(argument: _orchestrator_v1_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
    heartbeat(argument: _orchestrator_v1_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
    heartbeat(argument: _orchestrator_v1_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
    heartbeat(argument: _orchestrator_v1_HeartbeatRequest, callback: grpc.requestCallback<_orchestrator_v1_HeartbeatResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Turn a goal into a proposed plan without creating a run (a dry run of
     * planning). Answers within the planner's deadline (`planner.deadline`, or
     * the call's own deadline when shorter) with DEADLINE_EXCEEDED past it;
     * FAILED_PRECONDITION when no model is configured or no valid plan came.
     */
    PlanRun(argument: _orchestrator_v1_PlanRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_PlanRunResponse__Output>): grpc.ClientUnaryCall;
    PlanRun(argument: _orchestrator_v1_PlanRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_PlanRunResponse__Output>): grpc.ClientUnaryCall;
    PlanRun(argument: _orchestrator_v1_PlanRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_PlanRunResponse__Output>): grpc.ClientUnaryCall;
    PlanRun(argument: _orchestrator_v1_PlanRunRequest, callback: grpc.requestCallback<_orchestrator_v1_PlanRunResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Turn a goal into a proposed plan without creating a run (a dry run of
     * planning). Answers within the planner's deadline (`planner.deadline`, or
     * the call's own deadline when shorter) with DEADLINE_EXCEEDED past it;
     * FAILED_PRECONDITION when no model is configured or no valid plan came.
     */
    planRun(argument: _orchestrator_v1_PlanRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_PlanRunResponse__Output>): grpc.ClientUnaryCall;
    planRun(argument: _orchestrator_v1_PlanRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_PlanRunResponse__Output>): grpc.ClientUnaryCall;
    planRun(argument: _orchestrator_v1_PlanRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_PlanRunResponse__Output>): grpc.ClientUnaryCall;
    planRun(argument: _orchestrator_v1_PlanRunRequest, callback: grpc.requestCallback<_orchestrator_v1_PlanRunResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Long-poll for a task for this agent. Answers as soon as one is ready, or
     * with no assignment when `wait` ran out. When the server's policy declares
     * its agents, an undeclared agent name is NOT_FOUND.
     */
    PollTask(argument: _orchestrator_v1_PollTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_PollTaskResponse__Output>): grpc.ClientUnaryCall;
    PollTask(argument: _orchestrator_v1_PollTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_PollTaskResponse__Output>): grpc.ClientUnaryCall;
    PollTask(argument: _orchestrator_v1_PollTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_PollTaskResponse__Output>): grpc.ClientUnaryCall;
    PollTask(argument: _orchestrator_v1_PollTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_PollTaskResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Long-poll for a task for this agent. Answers as soon as one is ready, or
     * with no assignment when `wait` ran out. When the server's policy declares
     * its agents, an undeclared agent name is NOT_FOUND.
     */
    pollTask(argument: _orchestrator_v1_PollTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_PollTaskResponse__Output>): grpc.ClientUnaryCall;
    pollTask(argument: _orchestrator_v1_PollTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_PollTaskResponse__Output>): grpc.ClientUnaryCall;
    pollTask(argument: _orchestrator_v1_PollTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_PollTaskResponse__Output>): grpc.ClientUnaryCall;
    pollTask(argument: _orchestrator_v1_PollTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_PollTaskResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Check a plan exactly as CreateRun does (INVALID_ARGUMENT with field
     * violations when it is not valid) and describe its shape.
     */
    ValidatePlan(argument: _orchestrator_v1_ValidatePlanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ValidatePlanResponse__Output>): grpc.ClientUnaryCall;
    ValidatePlan(argument: _orchestrator_v1_ValidatePlanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ValidatePlanResponse__Output>): grpc.ClientUnaryCall;
    ValidatePlan(argument: _orchestrator_v1_ValidatePlanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ValidatePlanResponse__Output>): grpc.ClientUnaryCall;
    ValidatePlan(argument: _orchestrator_v1_ValidatePlanRequest, callback: grpc.requestCallback<_orchestrator_v1_ValidatePlanResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Check a plan exactly as CreateRun does (INVALID_ARGUMENT with field
     * violations when it is not valid) and describe its shape.
     */
    validatePlan(argument: _orchestrator_v1_ValidatePlanRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ValidatePlanResponse__Output>): grpc.ClientUnaryCall;
    validatePlan(argument: _orchestrator_v1_ValidatePlanRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ValidatePlanResponse__Output>): grpc.ClientUnaryCall;
    validatePlan(argument: _orchestrator_v1_ValidatePlanRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ValidatePlanResponse__Output>): grpc.ClientUnaryCall;
    validatePlan(argument: _orchestrator_v1_ValidatePlanRequest, callback: grpc.requestCallback<_orchestrator_v1_ValidatePlanResponse__Output>): grpc.ClientUnaryCall;
}
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
export interface CoordinatorServiceHandlers extends grpc.UntypedServiceImplementation {
    /**
     * Report an attempt's output; ends the lease.
     */
    CompleteTask: grpc.handleUnaryCall<_orchestrator_v1_CompleteTaskRequest__Output, _orchestrator_v1_CompleteTaskResponse>;
    /**
     * Report several attempts' outputs in one call and one transaction (an
     * agent that finished several tasks). Each lease is fenced and ends exactly
     * once, as with CompleteTask: a completion that is refused (a stale lease,
     * an output over the limit) is reported in its result and does not undo the
     * others. INVALID_ARGUMENT for the call as a whole only when it is malformed
     * (no completions, more than 64, one lease twice).
     */
    CompleteTasks: grpc.handleUnaryCall<_orchestrator_v1_CompleteTasksRequest__Output, _orchestrator_v1_CompleteTasksResponse>;
    /**
     * Ends the attempt's current turn asking for another: not done, not
     * failed. The task is handed out again after the server's continuation
     * delay (default 1s) as the same attempt's next turn, with `checkpoint`
     * and the turn number in the assignment; no backoff, nothing counted
     * against max_attempts, and the lease given here is spent. An attempt that
     * asks for more than the task's `max_turns` fails (not retried).
     */
    ContinueTask: grpc.handleUnaryCall<_orchestrator_v1_ContinueTaskRequest__Output, _orchestrator_v1_ContinueTaskResponse>;
    /**
     * Report an attempt's failure; ends the lease.
     */
    FailTask: grpc.handleUnaryCall<_orchestrator_v1_FailTaskRequest__Output, _orchestrator_v1_FailTaskResponse>;
    /**
     * Extend a lease and report progress and cumulative usage.
     */
    Heartbeat: grpc.handleUnaryCall<_orchestrator_v1_HeartbeatRequest__Output, _orchestrator_v1_HeartbeatResponse>;
    /**
     * Turn a goal into a proposed plan without creating a run (a dry run of
     * planning). Answers within the planner's deadline (`planner.deadline`, or
     * the call's own deadline when shorter) with DEADLINE_EXCEEDED past it;
     * FAILED_PRECONDITION when no model is configured or no valid plan came.
     */
    PlanRun: grpc.handleUnaryCall<_orchestrator_v1_PlanRunRequest__Output, _orchestrator_v1_PlanRunResponse>;
    /**
     * Long-poll for a task for this agent. Answers as soon as one is ready, or
     * with no assignment when `wait` ran out. When the server's policy declares
     * its agents, an undeclared agent name is NOT_FOUND.
     */
    PollTask: grpc.handleUnaryCall<_orchestrator_v1_PollTaskRequest__Output, _orchestrator_v1_PollTaskResponse>;
    /**
     * Check a plan exactly as CreateRun does (INVALID_ARGUMENT with field
     * violations when it is not valid) and describe its shape.
     */
    ValidatePlan: grpc.handleUnaryCall<_orchestrator_v1_ValidatePlanRequest__Output, _orchestrator_v1_ValidatePlanResponse>;
}
export interface CoordinatorServiceDefinition extends grpc.ServiceDefinition {
    CompleteTask: MethodDefinition<_orchestrator_v1_CompleteTaskRequest, _orchestrator_v1_CompleteTaskResponse, _orchestrator_v1_CompleteTaskRequest__Output, _orchestrator_v1_CompleteTaskResponse__Output>;
    CompleteTasks: MethodDefinition<_orchestrator_v1_CompleteTasksRequest, _orchestrator_v1_CompleteTasksResponse, _orchestrator_v1_CompleteTasksRequest__Output, _orchestrator_v1_CompleteTasksResponse__Output>;
    ContinueTask: MethodDefinition<_orchestrator_v1_ContinueTaskRequest, _orchestrator_v1_ContinueTaskResponse, _orchestrator_v1_ContinueTaskRequest__Output, _orchestrator_v1_ContinueTaskResponse__Output>;
    FailTask: MethodDefinition<_orchestrator_v1_FailTaskRequest, _orchestrator_v1_FailTaskResponse, _orchestrator_v1_FailTaskRequest__Output, _orchestrator_v1_FailTaskResponse__Output>;
    Heartbeat: MethodDefinition<_orchestrator_v1_HeartbeatRequest, _orchestrator_v1_HeartbeatResponse, _orchestrator_v1_HeartbeatRequest__Output, _orchestrator_v1_HeartbeatResponse__Output>;
    PlanRun: MethodDefinition<_orchestrator_v1_PlanRunRequest, _orchestrator_v1_PlanRunResponse, _orchestrator_v1_PlanRunRequest__Output, _orchestrator_v1_PlanRunResponse__Output>;
    PollTask: MethodDefinition<_orchestrator_v1_PollTaskRequest, _orchestrator_v1_PollTaskResponse, _orchestrator_v1_PollTaskRequest__Output, _orchestrator_v1_PollTaskResponse__Output>;
    ValidatePlan: MethodDefinition<_orchestrator_v1_ValidatePlanRequest, _orchestrator_v1_ValidatePlanResponse, _orchestrator_v1_ValidatePlanRequest__Output, _orchestrator_v1_ValidatePlanResponse__Output>;
}
