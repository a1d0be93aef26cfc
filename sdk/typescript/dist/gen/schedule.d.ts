import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { ListValue as _google_protobuf_ListValue, ListValue__Output as _google_protobuf_ListValue__Output } from './google/protobuf/ListValue';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from './google/protobuf/Struct';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from './google/protobuf/Value';
import type { BackfillScheduleRequest as _orchestrator_v1_BackfillScheduleRequest, BackfillScheduleRequest__Output as _orchestrator_v1_BackfillScheduleRequest__Output } from './orchestrator/v1/BackfillScheduleRequest';
import type { BackfillScheduleResponse as _orchestrator_v1_BackfillScheduleResponse, BackfillScheduleResponse__Output as _orchestrator_v1_BackfillScheduleResponse__Output } from './orchestrator/v1/BackfillScheduleResponse';
import type { CreateScheduleRequest as _orchestrator_v1_CreateScheduleRequest, CreateScheduleRequest__Output as _orchestrator_v1_CreateScheduleRequest__Output } from './orchestrator/v1/CreateScheduleRequest';
import type { DeleteScheduleRequest as _orchestrator_v1_DeleteScheduleRequest, DeleteScheduleRequest__Output as _orchestrator_v1_DeleteScheduleRequest__Output } from './orchestrator/v1/DeleteScheduleRequest';
import type { DeleteScheduleResponse as _orchestrator_v1_DeleteScheduleResponse, DeleteScheduleResponse__Output as _orchestrator_v1_DeleteScheduleResponse__Output } from './orchestrator/v1/DeleteScheduleResponse';
import type { GetScheduleRequest as _orchestrator_v1_GetScheduleRequest, GetScheduleRequest__Output as _orchestrator_v1_GetScheduleRequest__Output } from './orchestrator/v1/GetScheduleRequest';
import type { ListSchedulesRequest as _orchestrator_v1_ListSchedulesRequest, ListSchedulesRequest__Output as _orchestrator_v1_ListSchedulesRequest__Output } from './orchestrator/v1/ListSchedulesRequest';
import type { ListSchedulesResponse as _orchestrator_v1_ListSchedulesResponse, ListSchedulesResponse__Output as _orchestrator_v1_ListSchedulesResponse__Output } from './orchestrator/v1/ListSchedulesResponse';
import type { PauseScheduleRequest as _orchestrator_v1_PauseScheduleRequest, PauseScheduleRequest__Output as _orchestrator_v1_PauseScheduleRequest__Output } from './orchestrator/v1/PauseScheduleRequest';
import type { ResumeScheduleRequest as _orchestrator_v1_ResumeScheduleRequest, ResumeScheduleRequest__Output as _orchestrator_v1_ResumeScheduleRequest__Output } from './orchestrator/v1/ResumeScheduleRequest';
import type { Schedule as _orchestrator_v1_Schedule, Schedule__Output as _orchestrator_v1_Schedule__Output } from './orchestrator/v1/Schedule';
import type { ScheduleFire as _orchestrator_v1_ScheduleFire, ScheduleFire__Output as _orchestrator_v1_ScheduleFire__Output } from './orchestrator/v1/ScheduleFire';
import type { ScheduleServiceClient as _orchestrator_v1_ScheduleServiceClient, ScheduleServiceDefinition as _orchestrator_v1_ScheduleServiceDefinition } from './orchestrator/v1/ScheduleService';
import type { ScheduleSpec as _orchestrator_v1_ScheduleSpec, ScheduleSpec__Output as _orchestrator_v1_ScheduleSpec__Output } from './orchestrator/v1/ScheduleSpec';
import type { TriggerScheduleRequest as _orchestrator_v1_TriggerScheduleRequest, TriggerScheduleRequest__Output as _orchestrator_v1_TriggerScheduleRequest__Output } from './orchestrator/v1/TriggerScheduleRequest';
import type { TriggerScheduleResponse as _orchestrator_v1_TriggerScheduleResponse, TriggerScheduleResponse__Output as _orchestrator_v1_TriggerScheduleResponse__Output } from './orchestrator/v1/TriggerScheduleResponse';
type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
    new (...args: ConstructorParameters<Constructor>): Subtype;
};
export interface ProtoGrpcType {
    google: {
        protobuf: {
            Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>;
            ListValue: MessageTypeDefinition<_google_protobuf_ListValue, _google_protobuf_ListValue__Output>;
            NullValue: EnumTypeDefinition;
            Struct: MessageTypeDefinition<_google_protobuf_Struct, _google_protobuf_Struct__Output>;
            Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>;
            Value: MessageTypeDefinition<_google_protobuf_Value, _google_protobuf_Value__Output>;
        };
    };
    orchestrator: {
        v1: {
            BackfillScheduleRequest: MessageTypeDefinition<_orchestrator_v1_BackfillScheduleRequest, _orchestrator_v1_BackfillScheduleRequest__Output>;
            BackfillScheduleResponse: MessageTypeDefinition<_orchestrator_v1_BackfillScheduleResponse, _orchestrator_v1_BackfillScheduleResponse__Output>;
            CreateScheduleRequest: MessageTypeDefinition<_orchestrator_v1_CreateScheduleRequest, _orchestrator_v1_CreateScheduleRequest__Output>;
            DeleteScheduleRequest: MessageTypeDefinition<_orchestrator_v1_DeleteScheduleRequest, _orchestrator_v1_DeleteScheduleRequest__Output>;
            DeleteScheduleResponse: MessageTypeDefinition<_orchestrator_v1_DeleteScheduleResponse, _orchestrator_v1_DeleteScheduleResponse__Output>;
            FireKind: EnumTypeDefinition;
            FireOutcome: EnumTypeDefinition;
            GetScheduleRequest: MessageTypeDefinition<_orchestrator_v1_GetScheduleRequest, _orchestrator_v1_GetScheduleRequest__Output>;
            ListSchedulesRequest: MessageTypeDefinition<_orchestrator_v1_ListSchedulesRequest, _orchestrator_v1_ListSchedulesRequest__Output>;
            ListSchedulesResponse: MessageTypeDefinition<_orchestrator_v1_ListSchedulesResponse, _orchestrator_v1_ListSchedulesResponse__Output>;
            OverlapPolicy: EnumTypeDefinition;
            PauseScheduleRequest: MessageTypeDefinition<_orchestrator_v1_PauseScheduleRequest, _orchestrator_v1_PauseScheduleRequest__Output>;
            ResumeScheduleRequest: MessageTypeDefinition<_orchestrator_v1_ResumeScheduleRequest, _orchestrator_v1_ResumeScheduleRequest__Output>;
            Schedule: MessageTypeDefinition<_orchestrator_v1_Schedule, _orchestrator_v1_Schedule__Output>;
            ScheduleFire: MessageTypeDefinition<_orchestrator_v1_ScheduleFire, _orchestrator_v1_ScheduleFire__Output>;
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
            ScheduleService: SubtypeConstructor<typeof grpc.Client, _orchestrator_v1_ScheduleServiceClient> & {
                service: _orchestrator_v1_ScheduleServiceDefinition;
            };
            ScheduleSpec: MessageTypeDefinition<_orchestrator_v1_ScheduleSpec, _orchestrator_v1_ScheduleSpec__Output>;
            TriggerScheduleRequest: MessageTypeDefinition<_orchestrator_v1_TriggerScheduleRequest, _orchestrator_v1_TriggerScheduleRequest__Output>;
            TriggerScheduleResponse: MessageTypeDefinition<_orchestrator_v1_TriggerScheduleResponse, _orchestrator_v1_TriggerScheduleResponse__Output>;
        };
    };
}
export {};
