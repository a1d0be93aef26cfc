import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';
import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { ListValue as _google_protobuf_ListValue, ListValue__Output as _google_protobuf_ListValue__Output } from './google/protobuf/ListValue';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from './google/protobuf/Struct';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from './google/protobuf/Value';
import type { AgentWait as _orchestrator_v1_AgentWait, AgentWait__Output as _orchestrator_v1_AgentWait__Output } from './orchestrator/v1/AgentWait';
import type { Attempt as _orchestrator_v1_Attempt, Attempt__Output as _orchestrator_v1_Attempt__Output } from './orchestrator/v1/Attempt';
import type { Budget as _orchestrator_v1_Budget, Budget__Output as _orchestrator_v1_Budget__Output } from './orchestrator/v1/Budget';
import type { ChildRun as _orchestrator_v1_ChildRun, ChildRun__Output as _orchestrator_v1_ChildRun__Output } from './orchestrator/v1/ChildRun';
import type { Condition as _orchestrator_v1_Condition, Condition__Output as _orchestrator_v1_Condition__Output } from './orchestrator/v1/Condition';
import type { Criterion as _orchestrator_v1_Criterion, Criterion__Output as _orchestrator_v1_Criterion__Output } from './orchestrator/v1/Criterion';
import type { CriterionKind as _orchestrator_v1_CriterionKind, CriterionKind__Output as _orchestrator_v1_CriterionKind__Output } from './orchestrator/v1/CriterionKind';
import type { CriterionParam as _orchestrator_v1_CriterionParam, CriterionParam__Output as _orchestrator_v1_CriterionParam__Output } from './orchestrator/v1/CriterionParam';
import type { CriterionResult as _orchestrator_v1_CriterionResult, CriterionResult__Output as _orchestrator_v1_CriterionResult__Output } from './orchestrator/v1/CriterionResult';
import type { ListCriterionKindsRequest as _orchestrator_v1_ListCriterionKindsRequest, ListCriterionKindsRequest__Output as _orchestrator_v1_ListCriterionKindsRequest__Output } from './orchestrator/v1/ListCriterionKindsRequest';
import type { ListCriterionKindsResponse as _orchestrator_v1_ListCriterionKindsResponse, ListCriterionKindsResponse__Output as _orchestrator_v1_ListCriterionKindsResponse__Output } from './orchestrator/v1/ListCriterionKindsResponse';
import type { Plan as _orchestrator_v1_Plan, Plan__Output as _orchestrator_v1_Plan__Output } from './orchestrator/v1/Plan';
import type { PlanAnalysis as _orchestrator_v1_PlanAnalysis, PlanAnalysis__Output as _orchestrator_v1_PlanAnalysis__Output } from './orchestrator/v1/PlanAnalysis';
import type { RecipeRef as _orchestrator_v1_RecipeRef, RecipeRef__Output as _orchestrator_v1_RecipeRef__Output } from './orchestrator/v1/RecipeRef';
import type { RetryPolicy as _orchestrator_v1_RetryPolicy, RetryPolicy__Output as _orchestrator_v1_RetryPolicy__Output } from './orchestrator/v1/RetryPolicy';
import type { Run as _orchestrator_v1_Run, Run__Output as _orchestrator_v1_Run__Output } from './orchestrator/v1/Run';
import type { RunEvent as _orchestrator_v1_RunEvent, RunEvent__Output as _orchestrator_v1_RunEvent__Output } from './orchestrator/v1/RunEvent';
import type { RunParent as _orchestrator_v1_RunParent, RunParent__Output as _orchestrator_v1_RunParent__Output } from './orchestrator/v1/RunParent';
import type { RunPolicy as _orchestrator_v1_RunPolicy, RunPolicy__Output as _orchestrator_v1_RunPolicy__Output } from './orchestrator/v1/RunPolicy';
import type { Span as _orchestrator_v1_Span, Span__Output as _orchestrator_v1_Span__Output } from './orchestrator/v1/Span';
import type { SpanEvent as _orchestrator_v1_SpanEvent, SpanEvent__Output as _orchestrator_v1_SpanEvent__Output } from './orchestrator/v1/SpanEvent';
import type { Task as _orchestrator_v1_Task, Task__Output as _orchestrator_v1_Task__Output } from './orchestrator/v1/Task';
import type { TaskSpec as _orchestrator_v1_TaskSpec, TaskSpec__Output as _orchestrator_v1_TaskSpec__Output } from './orchestrator/v1/TaskSpec';
import type { Usage as _orchestrator_v1_Usage, Usage__Output as _orchestrator_v1_Usage__Output } from './orchestrator/v1/Usage';
import type { Verdict as _orchestrator_v1_Verdict, Verdict__Output as _orchestrator_v1_Verdict__Output } from './orchestrator/v1/Verdict';
import type { VerifierServiceClient as _orchestrator_v1_VerifierServiceClient, VerifierServiceDefinition as _orchestrator_v1_VerifierServiceDefinition } from './orchestrator/v1/VerifierService';
import type { VerifyRequest as _orchestrator_v1_VerifyRequest, VerifyRequest__Output as _orchestrator_v1_VerifyRequest__Output } from './orchestrator/v1/VerifyRequest';
import type { VerifyResponse as _orchestrator_v1_VerifyResponse, VerifyResponse__Output as _orchestrator_v1_VerifyResponse__Output } from './orchestrator/v1/VerifyResponse';
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
            AgentDirective: EnumTypeDefinition;
            AgentWait: MessageTypeDefinition<_orchestrator_v1_AgentWait, _orchestrator_v1_AgentWait__Output>;
            AggregateMode: EnumTypeDefinition;
            Attempt: MessageTypeDefinition<_orchestrator_v1_Attempt, _orchestrator_v1_Attempt__Output>;
            AttemptStatus: EnumTypeDefinition;
            Budget: MessageTypeDefinition<_orchestrator_v1_Budget, _orchestrator_v1_Budget__Output>;
            BudgetPolicy: EnumTypeDefinition;
            ChildRun: MessageTypeDefinition<_orchestrator_v1_ChildRun, _orchestrator_v1_ChildRun__Output>;
            Condition: MessageTypeDefinition<_orchestrator_v1_Condition, _orchestrator_v1_Condition__Output>;
            Criterion: MessageTypeDefinition<_orchestrator_v1_Criterion, _orchestrator_v1_Criterion__Output>;
            CriterionKind: MessageTypeDefinition<_orchestrator_v1_CriterionKind, _orchestrator_v1_CriterionKind__Output>;
            CriterionParam: MessageTypeDefinition<_orchestrator_v1_CriterionParam, _orchestrator_v1_CriterionParam__Output>;
            CriterionResult: MessageTypeDefinition<_orchestrator_v1_CriterionResult, _orchestrator_v1_CriterionResult__Output>;
            ListCriterionKindsRequest: MessageTypeDefinition<_orchestrator_v1_ListCriterionKindsRequest, _orchestrator_v1_ListCriterionKindsRequest__Output>;
            ListCriterionKindsResponse: MessageTypeDefinition<_orchestrator_v1_ListCriterionKindsResponse, _orchestrator_v1_ListCriterionKindsResponse__Output>;
            Plan: MessageTypeDefinition<_orchestrator_v1_Plan, _orchestrator_v1_Plan__Output>;
            PlanAnalysis: MessageTypeDefinition<_orchestrator_v1_PlanAnalysis, _orchestrator_v1_PlanAnalysis__Output>;
            RecipeRef: MessageTypeDefinition<_orchestrator_v1_RecipeRef, _orchestrator_v1_RecipeRef__Output>;
            RejectionAction: EnumTypeDefinition;
            RetriesExhaustedAction: EnumTypeDefinition;
            RetryPolicy: MessageTypeDefinition<_orchestrator_v1_RetryPolicy, _orchestrator_v1_RetryPolicy__Output>;
            Run: MessageTypeDefinition<_orchestrator_v1_Run, _orchestrator_v1_Run__Output>;
            RunEvent: MessageTypeDefinition<_orchestrator_v1_RunEvent, _orchestrator_v1_RunEvent__Output>;
            RunParent: MessageTypeDefinition<_orchestrator_v1_RunParent, _orchestrator_v1_RunParent__Output>;
            RunPolicy: MessageTypeDefinition<_orchestrator_v1_RunPolicy, _orchestrator_v1_RunPolicy__Output>;
            RunStatus: EnumTypeDefinition;
            Span: MessageTypeDefinition<_orchestrator_v1_Span, _orchestrator_v1_Span__Output>;
            SpanEvent: MessageTypeDefinition<_orchestrator_v1_SpanEvent, _orchestrator_v1_SpanEvent__Output>;
            Task: MessageTypeDefinition<_orchestrator_v1_Task, _orchestrator_v1_Task__Output>;
            TaskFailureAction: EnumTypeDefinition;
            TaskKind: EnumTypeDefinition;
            TaskSpec: MessageTypeDefinition<_orchestrator_v1_TaskSpec, _orchestrator_v1_TaskSpec__Output>;
            TaskStatus: EnumTypeDefinition;
            Usage: MessageTypeDefinition<_orchestrator_v1_Usage, _orchestrator_v1_Usage__Output>;
            Verdict: MessageTypeDefinition<_orchestrator_v1_Verdict, _orchestrator_v1_Verdict__Output>;
            /**
             * Check outputs against criteria, on their own or inside runs.
             */
            VerifierService: SubtypeConstructor<typeof grpc.Client, _orchestrator_v1_VerifierServiceClient> & {
                service: _orchestrator_v1_VerifierServiceDefinition;
            };
            VerifyRequest: MessageTypeDefinition<_orchestrator_v1_VerifyRequest, _orchestrator_v1_VerifyRequest__Output>;
            VerifyResponse: MessageTypeDefinition<_orchestrator_v1_VerifyResponse, _orchestrator_v1_VerifyResponse__Output>;
        };
    };
}
export {};
