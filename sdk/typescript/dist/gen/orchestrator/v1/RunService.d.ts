import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { ApproveTaskRequest as _orchestrator_v1_ApproveTaskRequest, ApproveTaskRequest__Output as _orchestrator_v1_ApproveTaskRequest__Output } from '../../orchestrator/v1/ApproveTaskRequest';
import type { CancelRunRequest as _orchestrator_v1_CancelRunRequest, CancelRunRequest__Output as _orchestrator_v1_CancelRunRequest__Output } from '../../orchestrator/v1/CancelRunRequest';
import type { CreateRunRequest as _orchestrator_v1_CreateRunRequest, CreateRunRequest__Output as _orchestrator_v1_CreateRunRequest__Output } from '../../orchestrator/v1/CreateRunRequest';
import type { CreateRunResponse as _orchestrator_v1_CreateRunResponse, CreateRunResponse__Output as _orchestrator_v1_CreateRunResponse__Output } from '../../orchestrator/v1/CreateRunResponse';
import type { GetRunRequest as _orchestrator_v1_GetRunRequest, GetRunRequest__Output as _orchestrator_v1_GetRunRequest__Output } from '../../orchestrator/v1/GetRunRequest';
import type { GetRunTraceRequest as _orchestrator_v1_GetRunTraceRequest, GetRunTraceRequest__Output as _orchestrator_v1_GetRunTraceRequest__Output } from '../../orchestrator/v1/GetRunTraceRequest';
import type { GetTaskRequest as _orchestrator_v1_GetTaskRequest, GetTaskRequest__Output as _orchestrator_v1_GetTaskRequest__Output } from '../../orchestrator/v1/GetTaskRequest';
import type { ListAgentsRequest as _orchestrator_v1_ListAgentsRequest, ListAgentsRequest__Output as _orchestrator_v1_ListAgentsRequest__Output } from '../../orchestrator/v1/ListAgentsRequest';
import type { ListAgentsResponse as _orchestrator_v1_ListAgentsResponse, ListAgentsResponse__Output as _orchestrator_v1_ListAgentsResponse__Output } from '../../orchestrator/v1/ListAgentsResponse';
import type { ListRetryOutcomesRequest as _orchestrator_v1_ListRetryOutcomesRequest, ListRetryOutcomesRequest__Output as _orchestrator_v1_ListRetryOutcomesRequest__Output } from '../../orchestrator/v1/ListRetryOutcomesRequest';
import type { ListRetryOutcomesResponse as _orchestrator_v1_ListRetryOutcomesResponse, ListRetryOutcomesResponse__Output as _orchestrator_v1_ListRetryOutcomesResponse__Output } from '../../orchestrator/v1/ListRetryOutcomesResponse';
import type { ListRunEventsRequest as _orchestrator_v1_ListRunEventsRequest, ListRunEventsRequest__Output as _orchestrator_v1_ListRunEventsRequest__Output } from '../../orchestrator/v1/ListRunEventsRequest';
import type { ListRunEventsResponse as _orchestrator_v1_ListRunEventsResponse, ListRunEventsResponse__Output as _orchestrator_v1_ListRunEventsResponse__Output } from '../../orchestrator/v1/ListRunEventsResponse';
import type { ListRunsRequest as _orchestrator_v1_ListRunsRequest, ListRunsRequest__Output as _orchestrator_v1_ListRunsRequest__Output } from '../../orchestrator/v1/ListRunsRequest';
import type { ListRunsResponse as _orchestrator_v1_ListRunsResponse, ListRunsResponse__Output as _orchestrator_v1_ListRunsResponse__Output } from '../../orchestrator/v1/ListRunsResponse';
import type { ListTasksRequest as _orchestrator_v1_ListTasksRequest, ListTasksRequest__Output as _orchestrator_v1_ListTasksRequest__Output } from '../../orchestrator/v1/ListTasksRequest';
import type { ListTasksResponse as _orchestrator_v1_ListTasksResponse, ListTasksResponse__Output as _orchestrator_v1_ListTasksResponse__Output } from '../../orchestrator/v1/ListTasksResponse';
import type { PauseRunRequest as _orchestrator_v1_PauseRunRequest, PauseRunRequest__Output as _orchestrator_v1_PauseRunRequest__Output } from '../../orchestrator/v1/PauseRunRequest';
import type { RejectTaskRequest as _orchestrator_v1_RejectTaskRequest, RejectTaskRequest__Output as _orchestrator_v1_RejectTaskRequest__Output } from '../../orchestrator/v1/RejectTaskRequest';
import type { ResumeRunRequest as _orchestrator_v1_ResumeRunRequest, ResumeRunRequest__Output as _orchestrator_v1_ResumeRunRequest__Output } from '../../orchestrator/v1/ResumeRunRequest';
import type { RetryTaskRequest as _orchestrator_v1_RetryTaskRequest, RetryTaskRequest__Output as _orchestrator_v1_RetryTaskRequest__Output } from '../../orchestrator/v1/RetryTaskRequest';
import type { Run as _orchestrator_v1_Run, Run__Output as _orchestrator_v1_Run__Output } from '../../orchestrator/v1/Run';
import type { RunEvent as _orchestrator_v1_RunEvent, RunEvent__Output as _orchestrator_v1_RunEvent__Output } from '../../orchestrator/v1/RunEvent';
import type { RunTrace as _orchestrator_v1_RunTrace, RunTrace__Output as _orchestrator_v1_RunTrace__Output } from '../../orchestrator/v1/RunTrace';
import type { Task as _orchestrator_v1_Task, Task__Output as _orchestrator_v1_Task__Output } from '../../orchestrator/v1/Task';
import type { WatchRunRequest as _orchestrator_v1_WatchRunRequest, WatchRunRequest__Output as _orchestrator_v1_WatchRunRequest__Output } from '../../orchestrator/v1/WatchRunRequest';
/**
 * Create, inspect, steer and watch runs.
 *
 * Every call is scoped to the caller's workspace: a run of another workspace
 * answers NOT_FOUND. Bad input answers INVALID_ARGUMENT with a
 * google.rpc.BadRequest listing every field violation.
 */
export interface RunServiceClient extends grpc.Client {
    /**
     * Let a task held in WAITING_APPROVAL go on.
     */
    ApproveTask(argument: _orchestrator_v1_ApproveTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    ApproveTask(argument: _orchestrator_v1_ApproveTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    ApproveTask(argument: _orchestrator_v1_ApproveTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    ApproveTask(argument: _orchestrator_v1_ApproveTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    /**
     * Let a task held in WAITING_APPROVAL go on.
     */
    approveTask(argument: _orchestrator_v1_ApproveTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    approveTask(argument: _orchestrator_v1_ApproveTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    approveTask(argument: _orchestrator_v1_ApproveTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    approveTask(argument: _orchestrator_v1_ApproveTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    /**
     * Cancel a run: no new dispatches, running attempts are told to stop,
     * command processes are killed. Idempotent on a cancelled run;
     * FAILED_PRECONDITION on a completed or failed one.
     */
    CancelRun(argument: _orchestrator_v1_CancelRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    CancelRun(argument: _orchestrator_v1_CancelRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    CancelRun(argument: _orchestrator_v1_CancelRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    CancelRun(argument: _orchestrator_v1_CancelRunRequest, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    /**
     * Cancel a run: no new dispatches, running attempts are told to stop,
     * command processes are killed. Idempotent on a cancelled run;
     * FAILED_PRECONDITION on a completed or failed one.
     */
    cancelRun(argument: _orchestrator_v1_CancelRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    cancelRun(argument: _orchestrator_v1_CancelRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    cancelRun(argument: _orchestrator_v1_CancelRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    cancelRun(argument: _orchestrator_v1_CancelRunRequest, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    /**
     * Create a run. With a plan, the plan is validated and used as is; without
     * one, the run enters PLANNING and the planner proposes one. A repeated
     * `request_id` with the same body returns the first run; with another body,
     * ALREADY_EXISTS.
     */
    CreateRun(argument: _orchestrator_v1_CreateRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
    CreateRun(argument: _orchestrator_v1_CreateRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
    CreateRun(argument: _orchestrator_v1_CreateRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
    CreateRun(argument: _orchestrator_v1_CreateRunRequest, callback: grpc.requestCallback<_orchestrator_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Create a run. With a plan, the plan is validated and used as is; without
     * one, the run enters PLANNING and the planner proposes one. A repeated
     * `request_id` with the same body returns the first run; with another body,
     * ALREADY_EXISTS.
     */
    createRun(argument: _orchestrator_v1_CreateRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
    createRun(argument: _orchestrator_v1_CreateRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
    createRun(argument: _orchestrator_v1_CreateRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
    createRun(argument: _orchestrator_v1_CreateRunRequest, callback: grpc.requestCallback<_orchestrator_v1_CreateRunResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Fetch a run with its usage, task counts, output and verdict.
     */
    GetRun(argument: _orchestrator_v1_GetRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    GetRun(argument: _orchestrator_v1_GetRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    GetRun(argument: _orchestrator_v1_GetRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    GetRun(argument: _orchestrator_v1_GetRunRequest, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    /**
     * Fetch a run with its usage, task counts, output and verdict.
     */
    getRun(argument: _orchestrator_v1_GetRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    getRun(argument: _orchestrator_v1_GetRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    getRun(argument: _orchestrator_v1_GetRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    getRun(argument: _orchestrator_v1_GetRunRequest, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    /**
     * The run's trace as a list of spans (a tree by parent_span_id).
     */
    GetRunTrace(argument: _orchestrator_v1_GetRunTraceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_RunTrace__Output>): grpc.ClientUnaryCall;
    GetRunTrace(argument: _orchestrator_v1_GetRunTraceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_RunTrace__Output>): grpc.ClientUnaryCall;
    GetRunTrace(argument: _orchestrator_v1_GetRunTraceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_RunTrace__Output>): grpc.ClientUnaryCall;
    GetRunTrace(argument: _orchestrator_v1_GetRunTraceRequest, callback: grpc.requestCallback<_orchestrator_v1_RunTrace__Output>): grpc.ClientUnaryCall;
    /**
     * The run's trace as a list of spans (a tree by parent_span_id).
     */
    getRunTrace(argument: _orchestrator_v1_GetRunTraceRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_RunTrace__Output>): grpc.ClientUnaryCall;
    getRunTrace(argument: _orchestrator_v1_GetRunTraceRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_RunTrace__Output>): grpc.ClientUnaryCall;
    getRunTrace(argument: _orchestrator_v1_GetRunTraceRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_RunTrace__Output>): grpc.ClientUnaryCall;
    getRunTrace(argument: _orchestrator_v1_GetRunTraceRequest, callback: grpc.requestCallback<_orchestrator_v1_RunTrace__Output>): grpc.ClientUnaryCall;
    /**
     * Fetch one task with its attempts.
     */
    GetTask(argument: _orchestrator_v1_GetTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    GetTask(argument: _orchestrator_v1_GetTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    GetTask(argument: _orchestrator_v1_GetTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    GetTask(argument: _orchestrator_v1_GetTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    /**
     * Fetch one task with its attempts.
     */
    getTask(argument: _orchestrator_v1_GetTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    getTask(argument: _orchestrator_v1_GetTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    getTask(argument: _orchestrator_v1_GetTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    getTask(argument: _orchestrator_v1_GetTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    /**
     * The fleet of agents in the caller's workspace: every agent the policy
     * declares, that polled in the last 24 hours or that ready tasks wait for,
     * with its instances (each with its SDK, address and replica), running
     * attempts, ready tasks, attempts finished in the last hour, and a
     * warning when tasks wait for an agent no instance serves.
     */
    ListAgents(argument: _orchestrator_v1_ListAgentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
    ListAgents(argument: _orchestrator_v1_ListAgentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
    ListAgents(argument: _orchestrator_v1_ListAgentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
    ListAgents(argument: _orchestrator_v1_ListAgentsRequest, callback: grpc.requestCallback<_orchestrator_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
    /**
     * The fleet of agents in the caller's workspace: every agent the policy
     * declares, that polled in the last 24 hours or that ready tasks wait for,
     * with its instances (each with its SDK, address and replica), running
     * attempts, ready tasks, attempts finished in the last hour, and a
     * warning when tasks wait for an agent no instance serves.
     */
    listAgents(argument: _orchestrator_v1_ListAgentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
    listAgents(argument: _orchestrator_v1_ListAgentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
    listAgents(argument: _orchestrator_v1_ListAgentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
    listAgents(argument: _orchestrator_v1_ListAgentsRequest, callback: grpc.requestCallback<_orchestrator_v1_ListAgentsResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Whether retries after a failed verdict rescue tasks, per agent and model,
     * in the caller's workspace (counted as verified tasks end; see the README,
     * "Planning with an LLM"): the evidence for `RunPolicy.retry_on_verdict`.
     */
    ListRetryOutcomes(argument: _orchestrator_v1_ListRetryOutcomesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRetryOutcomesResponse__Output>): grpc.ClientUnaryCall;
    ListRetryOutcomes(argument: _orchestrator_v1_ListRetryOutcomesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListRetryOutcomesResponse__Output>): grpc.ClientUnaryCall;
    ListRetryOutcomes(argument: _orchestrator_v1_ListRetryOutcomesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRetryOutcomesResponse__Output>): grpc.ClientUnaryCall;
    ListRetryOutcomes(argument: _orchestrator_v1_ListRetryOutcomesRequest, callback: grpc.requestCallback<_orchestrator_v1_ListRetryOutcomesResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Whether retries after a failed verdict rescue tasks, per agent and model,
     * in the caller's workspace (counted as verified tasks end; see the README,
     * "Planning with an LLM"): the evidence for `RunPolicy.retry_on_verdict`.
     */
    listRetryOutcomes(argument: _orchestrator_v1_ListRetryOutcomesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRetryOutcomesResponse__Output>): grpc.ClientUnaryCall;
    listRetryOutcomes(argument: _orchestrator_v1_ListRetryOutcomesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListRetryOutcomesResponse__Output>): grpc.ClientUnaryCall;
    listRetryOutcomes(argument: _orchestrator_v1_ListRetryOutcomesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRetryOutcomesResponse__Output>): grpc.ClientUnaryCall;
    listRetryOutcomes(argument: _orchestrator_v1_ListRetryOutcomesRequest, callback: grpc.requestCallback<_orchestrator_v1_ListRetryOutcomesResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Page through a run's events in sequence order.
     */
    ListRunEvents(argument: _orchestrator_v1_ListRunEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRunEventsResponse__Output>): grpc.ClientUnaryCall;
    ListRunEvents(argument: _orchestrator_v1_ListRunEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListRunEventsResponse__Output>): grpc.ClientUnaryCall;
    ListRunEvents(argument: _orchestrator_v1_ListRunEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRunEventsResponse__Output>): grpc.ClientUnaryCall;
    ListRunEvents(argument: _orchestrator_v1_ListRunEventsRequest, callback: grpc.requestCallback<_orchestrator_v1_ListRunEventsResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Page through a run's events in sequence order.
     */
    listRunEvents(argument: _orchestrator_v1_ListRunEventsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRunEventsResponse__Output>): grpc.ClientUnaryCall;
    listRunEvents(argument: _orchestrator_v1_ListRunEventsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListRunEventsResponse__Output>): grpc.ClientUnaryCall;
    listRunEvents(argument: _orchestrator_v1_ListRunEventsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRunEventsResponse__Output>): grpc.ClientUnaryCall;
    listRunEvents(argument: _orchestrator_v1_ListRunEventsRequest, callback: grpc.requestCallback<_orchestrator_v1_ListRunEventsResponse__Output>): grpc.ClientUnaryCall;
    /**
     * List runs, newest first, filtered by status and labels, paged.
     */
    ListRuns(argument: _orchestrator_v1_ListRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
    ListRuns(argument: _orchestrator_v1_ListRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
    ListRuns(argument: _orchestrator_v1_ListRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
    ListRuns(argument: _orchestrator_v1_ListRunsRequest, callback: grpc.requestCallback<_orchestrator_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
    /**
     * List runs, newest first, filtered by status and labels, paged.
     */
    listRuns(argument: _orchestrator_v1_ListRunsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
    listRuns(argument: _orchestrator_v1_ListRunsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
    listRuns(argument: _orchestrator_v1_ListRunsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
    listRuns(argument: _orchestrator_v1_ListRunsRequest, callback: grpc.requestCallback<_orchestrator_v1_ListRunsResponse__Output>): grpc.ClientUnaryCall;
    /**
     * List a run's tasks in plan order, optionally filtered by status.
     */
    ListTasks(argument: _orchestrator_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
    ListTasks(argument: _orchestrator_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
    ListTasks(argument: _orchestrator_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
    ListTasks(argument: _orchestrator_v1_ListTasksRequest, callback: grpc.requestCallback<_orchestrator_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
    /**
     * List a run's tasks in plan order, optionally filtered by status.
     */
    listTasks(argument: _orchestrator_v1_ListTasksRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
    listTasks(argument: _orchestrator_v1_ListTasksRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
    listTasks(argument: _orchestrator_v1_ListTasksRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
    listTasks(argument: _orchestrator_v1_ListTasksRequest, callback: grpc.requestCallback<_orchestrator_v1_ListTasksResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Pause a run: no new dispatches; running attempts learn it from their heartbeats.
     */
    PauseRun(argument: _orchestrator_v1_PauseRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    PauseRun(argument: _orchestrator_v1_PauseRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    PauseRun(argument: _orchestrator_v1_PauseRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    PauseRun(argument: _orchestrator_v1_PauseRunRequest, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    /**
     * Pause a run: no new dispatches; running attempts learn it from their heartbeats.
     */
    pauseRun(argument: _orchestrator_v1_PauseRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    pauseRun(argument: _orchestrator_v1_PauseRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    pauseRun(argument: _orchestrator_v1_PauseRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    pauseRun(argument: _orchestrator_v1_PauseRunRequest, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    /**
     * Reject a task held in WAITING_APPROVAL (it fails or is skipped per its spec).
     */
    RejectTask(argument: _orchestrator_v1_RejectTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    RejectTask(argument: _orchestrator_v1_RejectTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    RejectTask(argument: _orchestrator_v1_RejectTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    RejectTask(argument: _orchestrator_v1_RejectTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    /**
     * Reject a task held in WAITING_APPROVAL (it fails or is skipped per its spec).
     */
    rejectTask(argument: _orchestrator_v1_RejectTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    rejectTask(argument: _orchestrator_v1_RejectTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    rejectTask(argument: _orchestrator_v1_RejectTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    rejectTask(argument: _orchestrator_v1_RejectTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    /**
     * Resume a paused run, optionally with a raised budget.
     */
    ResumeRun(argument: _orchestrator_v1_ResumeRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    ResumeRun(argument: _orchestrator_v1_ResumeRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    ResumeRun(argument: _orchestrator_v1_ResumeRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    ResumeRun(argument: _orchestrator_v1_ResumeRunRequest, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    /**
     * Resume a paused run, optionally with a raised budget.
     */
    resumeRun(argument: _orchestrator_v1_ResumeRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    resumeRun(argument: _orchestrator_v1_ResumeRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    resumeRun(argument: _orchestrator_v1_ResumeRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    resumeRun(argument: _orchestrator_v1_ResumeRunRequest, callback: grpc.requestCallback<_orchestrator_v1_Run__Output>): grpc.ClientUnaryCall;
    /**
     * Re-open a failed task of a failed or paused run with a fresh attempt and
     * resume the run.
     */
    RetryTask(argument: _orchestrator_v1_RetryTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    RetryTask(argument: _orchestrator_v1_RetryTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    RetryTask(argument: _orchestrator_v1_RetryTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    RetryTask(argument: _orchestrator_v1_RetryTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    /**
     * Re-open a failed task of a failed or paused run with a fresh attempt and
     * resume the run.
     */
    retryTask(argument: _orchestrator_v1_RetryTaskRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    retryTask(argument: _orchestrator_v1_RetryTaskRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    retryTask(argument: _orchestrator_v1_RetryTaskRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    retryTask(argument: _orchestrator_v1_RetryTaskRequest, callback: grpc.requestCallback<_orchestrator_v1_Task__Output>): grpc.ClientUnaryCall;
    /**
     * Stream a run's events: first those after `after_seq` from the store, then
     * new ones live, with no gap and no duplicate. Ends when the run is terminal
     * and its last event was sent.
     */
    WatchRun(argument: _orchestrator_v1_WatchRunRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_orchestrator_v1_RunEvent__Output>;
    WatchRun(argument: _orchestrator_v1_WatchRunRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_orchestrator_v1_RunEvent__Output>;
    /**
     * Stream a run's events: first those after `after_seq` from the store, then
     * new ones live, with no gap and no duplicate. Ends when the run is terminal
     * and its last event was sent.
     */
    watchRun(argument: _orchestrator_v1_WatchRunRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_orchestrator_v1_RunEvent__Output>;
    watchRun(argument: _orchestrator_v1_WatchRunRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_orchestrator_v1_RunEvent__Output>;
}
/**
 * Create, inspect, steer and watch runs.
 *
 * Every call is scoped to the caller's workspace: a run of another workspace
 * answers NOT_FOUND. Bad input answers INVALID_ARGUMENT with a
 * google.rpc.BadRequest listing every field violation.
 */
export interface RunServiceHandlers extends grpc.UntypedServiceImplementation {
    /**
     * Let a task held in WAITING_APPROVAL go on.
     */
    ApproveTask: grpc.handleUnaryCall<_orchestrator_v1_ApproveTaskRequest__Output, _orchestrator_v1_Task>;
    /**
     * Cancel a run: no new dispatches, running attempts are told to stop,
     * command processes are killed. Idempotent on a cancelled run;
     * FAILED_PRECONDITION on a completed or failed one.
     */
    CancelRun: grpc.handleUnaryCall<_orchestrator_v1_CancelRunRequest__Output, _orchestrator_v1_Run>;
    /**
     * Create a run. With a plan, the plan is validated and used as is; without
     * one, the run enters PLANNING and the planner proposes one. A repeated
     * `request_id` with the same body returns the first run; with another body,
     * ALREADY_EXISTS.
     */
    CreateRun: grpc.handleUnaryCall<_orchestrator_v1_CreateRunRequest__Output, _orchestrator_v1_CreateRunResponse>;
    /**
     * Fetch a run with its usage, task counts, output and verdict.
     */
    GetRun: grpc.handleUnaryCall<_orchestrator_v1_GetRunRequest__Output, _orchestrator_v1_Run>;
    /**
     * The run's trace as a list of spans (a tree by parent_span_id).
     */
    GetRunTrace: grpc.handleUnaryCall<_orchestrator_v1_GetRunTraceRequest__Output, _orchestrator_v1_RunTrace>;
    /**
     * Fetch one task with its attempts.
     */
    GetTask: grpc.handleUnaryCall<_orchestrator_v1_GetTaskRequest__Output, _orchestrator_v1_Task>;
    /**
     * The fleet of agents in the caller's workspace: every agent the policy
     * declares, that polled in the last 24 hours or that ready tasks wait for,
     * with its instances (each with its SDK, address and replica), running
     * attempts, ready tasks, attempts finished in the last hour, and a
     * warning when tasks wait for an agent no instance serves.
     */
    ListAgents: grpc.handleUnaryCall<_orchestrator_v1_ListAgentsRequest__Output, _orchestrator_v1_ListAgentsResponse>;
    /**
     * Whether retries after a failed verdict rescue tasks, per agent and model,
     * in the caller's workspace (counted as verified tasks end; see the README,
     * "Planning with an LLM"): the evidence for `RunPolicy.retry_on_verdict`.
     */
    ListRetryOutcomes: grpc.handleUnaryCall<_orchestrator_v1_ListRetryOutcomesRequest__Output, _orchestrator_v1_ListRetryOutcomesResponse>;
    /**
     * Page through a run's events in sequence order.
     */
    ListRunEvents: grpc.handleUnaryCall<_orchestrator_v1_ListRunEventsRequest__Output, _orchestrator_v1_ListRunEventsResponse>;
    /**
     * List runs, newest first, filtered by status and labels, paged.
     */
    ListRuns: grpc.handleUnaryCall<_orchestrator_v1_ListRunsRequest__Output, _orchestrator_v1_ListRunsResponse>;
    /**
     * List a run's tasks in plan order, optionally filtered by status.
     */
    ListTasks: grpc.handleUnaryCall<_orchestrator_v1_ListTasksRequest__Output, _orchestrator_v1_ListTasksResponse>;
    /**
     * Pause a run: no new dispatches; running attempts learn it from their heartbeats.
     */
    PauseRun: grpc.handleUnaryCall<_orchestrator_v1_PauseRunRequest__Output, _orchestrator_v1_Run>;
    /**
     * Reject a task held in WAITING_APPROVAL (it fails or is skipped per its spec).
     */
    RejectTask: grpc.handleUnaryCall<_orchestrator_v1_RejectTaskRequest__Output, _orchestrator_v1_Task>;
    /**
     * Resume a paused run, optionally with a raised budget.
     */
    ResumeRun: grpc.handleUnaryCall<_orchestrator_v1_ResumeRunRequest__Output, _orchestrator_v1_Run>;
    /**
     * Re-open a failed task of a failed or paused run with a fresh attempt and
     * resume the run.
     */
    RetryTask: grpc.handleUnaryCall<_orchestrator_v1_RetryTaskRequest__Output, _orchestrator_v1_Task>;
    /**
     * Stream a run's events: first those after `after_seq` from the store, then
     * new ones live, with no gap and no duplicate. Ends when the run is terminal
     * and its last event was sent.
     */
    WatchRun: grpc.handleServerStreamingCall<_orchestrator_v1_WatchRunRequest__Output, _orchestrator_v1_RunEvent>;
}
export interface RunServiceDefinition extends grpc.ServiceDefinition {
    ApproveTask: MethodDefinition<_orchestrator_v1_ApproveTaskRequest, _orchestrator_v1_Task, _orchestrator_v1_ApproveTaskRequest__Output, _orchestrator_v1_Task__Output>;
    CancelRun: MethodDefinition<_orchestrator_v1_CancelRunRequest, _orchestrator_v1_Run, _orchestrator_v1_CancelRunRequest__Output, _orchestrator_v1_Run__Output>;
    CreateRun: MethodDefinition<_orchestrator_v1_CreateRunRequest, _orchestrator_v1_CreateRunResponse, _orchestrator_v1_CreateRunRequest__Output, _orchestrator_v1_CreateRunResponse__Output>;
    GetRun: MethodDefinition<_orchestrator_v1_GetRunRequest, _orchestrator_v1_Run, _orchestrator_v1_GetRunRequest__Output, _orchestrator_v1_Run__Output>;
    GetRunTrace: MethodDefinition<_orchestrator_v1_GetRunTraceRequest, _orchestrator_v1_RunTrace, _orchestrator_v1_GetRunTraceRequest__Output, _orchestrator_v1_RunTrace__Output>;
    GetTask: MethodDefinition<_orchestrator_v1_GetTaskRequest, _orchestrator_v1_Task, _orchestrator_v1_GetTaskRequest__Output, _orchestrator_v1_Task__Output>;
    ListAgents: MethodDefinition<_orchestrator_v1_ListAgentsRequest, _orchestrator_v1_ListAgentsResponse, _orchestrator_v1_ListAgentsRequest__Output, _orchestrator_v1_ListAgentsResponse__Output>;
    ListRetryOutcomes: MethodDefinition<_orchestrator_v1_ListRetryOutcomesRequest, _orchestrator_v1_ListRetryOutcomesResponse, _orchestrator_v1_ListRetryOutcomesRequest__Output, _orchestrator_v1_ListRetryOutcomesResponse__Output>;
    ListRunEvents: MethodDefinition<_orchestrator_v1_ListRunEventsRequest, _orchestrator_v1_ListRunEventsResponse, _orchestrator_v1_ListRunEventsRequest__Output, _orchestrator_v1_ListRunEventsResponse__Output>;
    ListRuns: MethodDefinition<_orchestrator_v1_ListRunsRequest, _orchestrator_v1_ListRunsResponse, _orchestrator_v1_ListRunsRequest__Output, _orchestrator_v1_ListRunsResponse__Output>;
    ListTasks: MethodDefinition<_orchestrator_v1_ListTasksRequest, _orchestrator_v1_ListTasksResponse, _orchestrator_v1_ListTasksRequest__Output, _orchestrator_v1_ListTasksResponse__Output>;
    PauseRun: MethodDefinition<_orchestrator_v1_PauseRunRequest, _orchestrator_v1_Run, _orchestrator_v1_PauseRunRequest__Output, _orchestrator_v1_Run__Output>;
    RejectTask: MethodDefinition<_orchestrator_v1_RejectTaskRequest, _orchestrator_v1_Task, _orchestrator_v1_RejectTaskRequest__Output, _orchestrator_v1_Task__Output>;
    ResumeRun: MethodDefinition<_orchestrator_v1_ResumeRunRequest, _orchestrator_v1_Run, _orchestrator_v1_ResumeRunRequest__Output, _orchestrator_v1_Run__Output>;
    RetryTask: MethodDefinition<_orchestrator_v1_RetryTaskRequest, _orchestrator_v1_Task, _orchestrator_v1_RetryTaskRequest__Output, _orchestrator_v1_Task__Output>;
    WatchRun: MethodDefinition<_orchestrator_v1_WatchRunRequest, _orchestrator_v1_RunEvent, _orchestrator_v1_WatchRunRequest__Output, _orchestrator_v1_RunEvent__Output>;
}
