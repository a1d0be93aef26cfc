import type { TaskStatus as _orchestrator_v1_TaskStatus, TaskStatus__Output as _orchestrator_v1_TaskStatus__Output } from '../../orchestrator/v1/TaskStatus';
import type { Verdict as _orchestrator_v1_Verdict, Verdict__Output as _orchestrator_v1_Verdict__Output } from '../../orchestrator/v1/Verdict';
/**
 * The outcome of one completion of a CompleteTasks call.
 */
export interface CompleteTaskResult {
    /**
     * The lease it was for.
     */
    'leaseId'?: (string);
    /**
     * OK (0) when the completion was recorded, else the gRPC status code
     * CompleteTask would have failed with (e.g. FAILED_PRECONDITION, 9, for a
     * lease that is no longer valid; INVALID_ARGUMENT, 3, for a bad output).
     */
    'code'?: (number);
    /**
     * Why it was refused (empty when recorded).
     */
    'message'?: (string);
    /**
     * The task's status after the completion, when recorded (VERIFYING when
     * the verifier could not be asked yet: the server verifies it later).
     */
    'taskStatus'?: (_orchestrator_v1_TaskStatus);
    /**
     * The verdict on the output, if the task has criteria.
     */
    'verdict'?: (_orchestrator_v1_Verdict | null);
}
/**
 * The outcome of one completion of a CompleteTasks call.
 */
export interface CompleteTaskResult__Output {
    /**
     * The lease it was for.
     */
    'leaseId': (string);
    /**
     * OK (0) when the completion was recorded, else the gRPC status code
     * CompleteTask would have failed with (e.g. FAILED_PRECONDITION, 9, for a
     * lease that is no longer valid; INVALID_ARGUMENT, 3, for a bad output).
     */
    'code': (number);
    /**
     * Why it was refused (empty when recorded).
     */
    'message': (string);
    /**
     * The task's status after the completion, when recorded (VERIFYING when
     * the verifier could not be asked yet: the server verifies it later).
     */
    'taskStatus': (_orchestrator_v1_TaskStatus__Output);
    /**
     * The verdict on the output, if the task has criteria.
     */
    'verdict': (_orchestrator_v1_Verdict__Output | null);
}
