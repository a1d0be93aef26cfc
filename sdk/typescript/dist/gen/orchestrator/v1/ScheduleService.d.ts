import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { BackfillScheduleRequest as _orchestrator_v1_BackfillScheduleRequest, BackfillScheduleRequest__Output as _orchestrator_v1_BackfillScheduleRequest__Output } from '../../orchestrator/v1/BackfillScheduleRequest';
import type { BackfillScheduleResponse as _orchestrator_v1_BackfillScheduleResponse, BackfillScheduleResponse__Output as _orchestrator_v1_BackfillScheduleResponse__Output } from '../../orchestrator/v1/BackfillScheduleResponse';
import type { CreateScheduleRequest as _orchestrator_v1_CreateScheduleRequest, CreateScheduleRequest__Output as _orchestrator_v1_CreateScheduleRequest__Output } from '../../orchestrator/v1/CreateScheduleRequest';
import type { DeleteScheduleRequest as _orchestrator_v1_DeleteScheduleRequest, DeleteScheduleRequest__Output as _orchestrator_v1_DeleteScheduleRequest__Output } from '../../orchestrator/v1/DeleteScheduleRequest';
import type { DeleteScheduleResponse as _orchestrator_v1_DeleteScheduleResponse, DeleteScheduleResponse__Output as _orchestrator_v1_DeleteScheduleResponse__Output } from '../../orchestrator/v1/DeleteScheduleResponse';
import type { GetScheduleRequest as _orchestrator_v1_GetScheduleRequest, GetScheduleRequest__Output as _orchestrator_v1_GetScheduleRequest__Output } from '../../orchestrator/v1/GetScheduleRequest';
import type { ListSchedulesRequest as _orchestrator_v1_ListSchedulesRequest, ListSchedulesRequest__Output as _orchestrator_v1_ListSchedulesRequest__Output } from '../../orchestrator/v1/ListSchedulesRequest';
import type { ListSchedulesResponse as _orchestrator_v1_ListSchedulesResponse, ListSchedulesResponse__Output as _orchestrator_v1_ListSchedulesResponse__Output } from '../../orchestrator/v1/ListSchedulesResponse';
import type { PauseScheduleRequest as _orchestrator_v1_PauseScheduleRequest, PauseScheduleRequest__Output as _orchestrator_v1_PauseScheduleRequest__Output } from '../../orchestrator/v1/PauseScheduleRequest';
import type { ResumeScheduleRequest as _orchestrator_v1_ResumeScheduleRequest, ResumeScheduleRequest__Output as _orchestrator_v1_ResumeScheduleRequest__Output } from '../../orchestrator/v1/ResumeScheduleRequest';
import type { Schedule as _orchestrator_v1_Schedule, Schedule__Output as _orchestrator_v1_Schedule__Output } from '../../orchestrator/v1/Schedule';
import type { TriggerScheduleRequest as _orchestrator_v1_TriggerScheduleRequest, TriggerScheduleRequest__Output as _orchestrator_v1_TriggerScheduleRequest__Output } from '../../orchestrator/v1/TriggerScheduleRequest';
import type { TriggerScheduleResponse as _orchestrator_v1_TriggerScheduleResponse, TriggerScheduleResponse__Output as _orchestrator_v1_TriggerScheduleResponse__Output } from '../../orchestrator/v1/TriggerScheduleResponse';
/**
 * Schedules: runs of a recipe started by a clock, on a cron expression or a
 * fixed interval, in a time zone. Each fire time fires once across all the
 * replicas on one database: the fire is a row claimed in the same
 * transaction that creates its run (its request id
 * `schedule/` and a hash of its id and fire key). A server that was down catches up on the fire
 * times within the schedule's catch-up window when it starts again.
 * Operators create, pause, resume, trigger, backfill and delete; viewers
 * read.
 */
export interface ScheduleServiceClient extends grpc.Client {
    /**
     * Fires every fire time of the spec in [start_time, end_time) that this
     * schedule has not backfilled before, oldest first, under the overlap
     * policy given (default: the schedule's). At most 1000 fire times.
     */
    BackfillSchedule(argument: _orchestrator_v1_BackfillScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
    BackfillSchedule(argument: _orchestrator_v1_BackfillScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
    BackfillSchedule(argument: _orchestrator_v1_BackfillScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
    BackfillSchedule(argument: _orchestrator_v1_BackfillScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Fires every fire time of the spec in [start_time, end_time) that this
     * schedule has not backfilled before, oldest first, under the overlap
     * policy given (default: the schedule's). At most 1000 fire times.
     */
    backfillSchedule(argument: _orchestrator_v1_BackfillScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
    backfillSchedule(argument: _orchestrator_v1_BackfillScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
    backfillSchedule(argument: _orchestrator_v1_BackfillScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
    backfillSchedule(argument: _orchestrator_v1_BackfillScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_BackfillScheduleResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Creates a schedule. Its recipe must exist and its params bind to it (a
     * run is rendered once to check them). INVALID_ARGUMENT names every
     * violation; ALREADY_EXISTS when the id is taken; RESOURCE_EXHAUSTED when
     * the workspace has 1,000 schedules.
     */
    CreateSchedule(argument: _orchestrator_v1_CreateScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    CreateSchedule(argument: _orchestrator_v1_CreateScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    CreateSchedule(argument: _orchestrator_v1_CreateScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    CreateSchedule(argument: _orchestrator_v1_CreateScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    /**
     * Creates a schedule. Its recipe must exist and its params bind to it (a
     * run is rendered once to check them). INVALID_ARGUMENT names every
     * violation; ALREADY_EXISTS when the id is taken; RESOURCE_EXHAUSTED when
     * the workspace has 1,000 schedules.
     */
    createSchedule(argument: _orchestrator_v1_CreateScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    createSchedule(argument: _orchestrator_v1_CreateScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    createSchedule(argument: _orchestrator_v1_CreateScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    createSchedule(argument: _orchestrator_v1_CreateScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    /**
     * Deletes a schedule and its record of fires; runs it started are not touched.
     */
    DeleteSchedule(argument: _orchestrator_v1_DeleteScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
    DeleteSchedule(argument: _orchestrator_v1_DeleteScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
    DeleteSchedule(argument: _orchestrator_v1_DeleteScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
    DeleteSchedule(argument: _orchestrator_v1_DeleteScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Deletes a schedule and its record of fires; runs it started are not touched.
     */
    deleteSchedule(argument: _orchestrator_v1_DeleteScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
    deleteSchedule(argument: _orchestrator_v1_DeleteScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
    deleteSchedule(argument: _orchestrator_v1_DeleteScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
    deleteSchedule(argument: _orchestrator_v1_DeleteScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_DeleteScheduleResponse__Output>): grpc.ClientUnaryCall;
    /**
     * A schedule with its next fire times and its recent fires.
     */
    GetSchedule(argument: _orchestrator_v1_GetScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    GetSchedule(argument: _orchestrator_v1_GetScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    GetSchedule(argument: _orchestrator_v1_GetScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    GetSchedule(argument: _orchestrator_v1_GetScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    /**
     * A schedule with its next fire times and its recent fires.
     */
    getSchedule(argument: _orchestrator_v1_GetScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    getSchedule(argument: _orchestrator_v1_GetScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    getSchedule(argument: _orchestrator_v1_GetScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    getSchedule(argument: _orchestrator_v1_GetScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    /**
     * A workspace's schedules by id, each with its next fire times and recent fires.
     */
    ListSchedules(argument: _orchestrator_v1_ListSchedulesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
    ListSchedules(argument: _orchestrator_v1_ListSchedulesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
    ListSchedules(argument: _orchestrator_v1_ListSchedulesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
    ListSchedules(argument: _orchestrator_v1_ListSchedulesRequest, callback: grpc.requestCallback<_orchestrator_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
    /**
     * A workspace's schedules by id, each with its next fire times and recent fires.
     */
    listSchedules(argument: _orchestrator_v1_ListSchedulesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
    listSchedules(argument: _orchestrator_v1_ListSchedulesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
    listSchedules(argument: _orchestrator_v1_ListSchedulesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
    listSchedules(argument: _orchestrator_v1_ListSchedulesRequest, callback: grpc.requestCallback<_orchestrator_v1_ListSchedulesResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Stops firing until ResumeSchedule; fire times while paused are not caught up.
     */
    PauseSchedule(argument: _orchestrator_v1_PauseScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    PauseSchedule(argument: _orchestrator_v1_PauseScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    PauseSchedule(argument: _orchestrator_v1_PauseScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    PauseSchedule(argument: _orchestrator_v1_PauseScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    /**
     * Stops firing until ResumeSchedule; fire times while paused are not caught up.
     */
    pauseSchedule(argument: _orchestrator_v1_PauseScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    pauseSchedule(argument: _orchestrator_v1_PauseScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    pauseSchedule(argument: _orchestrator_v1_PauseScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    pauseSchedule(argument: _orchestrator_v1_PauseScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    /**
     * Fires again from the next fire time after now.
     */
    ResumeSchedule(argument: _orchestrator_v1_ResumeScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    ResumeSchedule(argument: _orchestrator_v1_ResumeScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    ResumeSchedule(argument: _orchestrator_v1_ResumeScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    ResumeSchedule(argument: _orchestrator_v1_ResumeScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    /**
     * Fires again from the next fire time after now.
     */
    resumeSchedule(argument: _orchestrator_v1_ResumeScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    resumeSchedule(argument: _orchestrator_v1_ResumeScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    resumeSchedule(argument: _orchestrator_v1_ResumeScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    resumeSchedule(argument: _orchestrator_v1_ResumeScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_Schedule__Output>): grpc.ClientUnaryCall;
    /**
     * Fires now, once per `request_id`, under the schedule's overlap policy
     * (paused or not).
     */
    TriggerSchedule(argument: _orchestrator_v1_TriggerScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
    TriggerSchedule(argument: _orchestrator_v1_TriggerScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
    TriggerSchedule(argument: _orchestrator_v1_TriggerScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
    TriggerSchedule(argument: _orchestrator_v1_TriggerScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Fires now, once per `request_id`, under the schedule's overlap policy
     * (paused or not).
     */
    triggerSchedule(argument: _orchestrator_v1_TriggerScheduleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
    triggerSchedule(argument: _orchestrator_v1_TriggerScheduleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
    triggerSchedule(argument: _orchestrator_v1_TriggerScheduleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
    triggerSchedule(argument: _orchestrator_v1_TriggerScheduleRequest, callback: grpc.requestCallback<_orchestrator_v1_TriggerScheduleResponse__Output>): grpc.ClientUnaryCall;
}
/**
 * Schedules: runs of a recipe started by a clock, on a cron expression or a
 * fixed interval, in a time zone. Each fire time fires once across all the
 * replicas on one database: the fire is a row claimed in the same
 * transaction that creates its run (its request id
 * `schedule/` and a hash of its id and fire key). A server that was down catches up on the fire
 * times within the schedule's catch-up window when it starts again.
 * Operators create, pause, resume, trigger, backfill and delete; viewers
 * read.
 */
export interface ScheduleServiceHandlers extends grpc.UntypedServiceImplementation {
    /**
     * Fires every fire time of the spec in [start_time, end_time) that this
     * schedule has not backfilled before, oldest first, under the overlap
     * policy given (default: the schedule's). At most 1000 fire times.
     */
    BackfillSchedule: grpc.handleUnaryCall<_orchestrator_v1_BackfillScheduleRequest__Output, _orchestrator_v1_BackfillScheduleResponse>;
    /**
     * Creates a schedule. Its recipe must exist and its params bind to it (a
     * run is rendered once to check them). INVALID_ARGUMENT names every
     * violation; ALREADY_EXISTS when the id is taken; RESOURCE_EXHAUSTED when
     * the workspace has 1,000 schedules.
     */
    CreateSchedule: grpc.handleUnaryCall<_orchestrator_v1_CreateScheduleRequest__Output, _orchestrator_v1_Schedule>;
    /**
     * Deletes a schedule and its record of fires; runs it started are not touched.
     */
    DeleteSchedule: grpc.handleUnaryCall<_orchestrator_v1_DeleteScheduleRequest__Output, _orchestrator_v1_DeleteScheduleResponse>;
    /**
     * A schedule with its next fire times and its recent fires.
     */
    GetSchedule: grpc.handleUnaryCall<_orchestrator_v1_GetScheduleRequest__Output, _orchestrator_v1_Schedule>;
    /**
     * A workspace's schedules by id, each with its next fire times and recent fires.
     */
    ListSchedules: grpc.handleUnaryCall<_orchestrator_v1_ListSchedulesRequest__Output, _orchestrator_v1_ListSchedulesResponse>;
    /**
     * Stops firing until ResumeSchedule; fire times while paused are not caught up.
     */
    PauseSchedule: grpc.handleUnaryCall<_orchestrator_v1_PauseScheduleRequest__Output, _orchestrator_v1_Schedule>;
    /**
     * Fires again from the next fire time after now.
     */
    ResumeSchedule: grpc.handleUnaryCall<_orchestrator_v1_ResumeScheduleRequest__Output, _orchestrator_v1_Schedule>;
    /**
     * Fires now, once per `request_id`, under the schedule's overlap policy
     * (paused or not).
     */
    TriggerSchedule: grpc.handleUnaryCall<_orchestrator_v1_TriggerScheduleRequest__Output, _orchestrator_v1_TriggerScheduleResponse>;
}
export interface ScheduleServiceDefinition extends grpc.ServiceDefinition {
    BackfillSchedule: MethodDefinition<_orchestrator_v1_BackfillScheduleRequest, _orchestrator_v1_BackfillScheduleResponse, _orchestrator_v1_BackfillScheduleRequest__Output, _orchestrator_v1_BackfillScheduleResponse__Output>;
    CreateSchedule: MethodDefinition<_orchestrator_v1_CreateScheduleRequest, _orchestrator_v1_Schedule, _orchestrator_v1_CreateScheduleRequest__Output, _orchestrator_v1_Schedule__Output>;
    DeleteSchedule: MethodDefinition<_orchestrator_v1_DeleteScheduleRequest, _orchestrator_v1_DeleteScheduleResponse, _orchestrator_v1_DeleteScheduleRequest__Output, _orchestrator_v1_DeleteScheduleResponse__Output>;
    GetSchedule: MethodDefinition<_orchestrator_v1_GetScheduleRequest, _orchestrator_v1_Schedule, _orchestrator_v1_GetScheduleRequest__Output, _orchestrator_v1_Schedule__Output>;
    ListSchedules: MethodDefinition<_orchestrator_v1_ListSchedulesRequest, _orchestrator_v1_ListSchedulesResponse, _orchestrator_v1_ListSchedulesRequest__Output, _orchestrator_v1_ListSchedulesResponse__Output>;
    PauseSchedule: MethodDefinition<_orchestrator_v1_PauseScheduleRequest, _orchestrator_v1_Schedule, _orchestrator_v1_PauseScheduleRequest__Output, _orchestrator_v1_Schedule__Output>;
    ResumeSchedule: MethodDefinition<_orchestrator_v1_ResumeScheduleRequest, _orchestrator_v1_Schedule, _orchestrator_v1_ResumeScheduleRequest__Output, _orchestrator_v1_Schedule__Output>;
    TriggerSchedule: MethodDefinition<_orchestrator_v1_TriggerScheduleRequest, _orchestrator_v1_TriggerScheduleResponse, _orchestrator_v1_TriggerScheduleRequest__Output, _orchestrator_v1_TriggerScheduleResponse__Output>;
}
