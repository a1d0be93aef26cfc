import type { AttemptStatus as _orchestrator_v1_AttemptStatus, AttemptStatus__Output as _orchestrator_v1_AttemptStatus__Output } from '../../orchestrator/v1/AttemptStatus';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp';
import type { Usage as _orchestrator_v1_Usage, Usage__Output as _orchestrator_v1_Usage__Output } from '../../orchestrator/v1/Usage';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from '../../google/protobuf/Value';
import type { Verdict as _orchestrator_v1_Verdict, Verdict__Output as _orchestrator_v1_Verdict__Output } from '../../orchestrator/v1/Verdict';
/**
 * One try of a task.
 */
export interface Attempt {
    /**
     * 1 for the first attempt.
     */
    'number'?: (number);
    /**
     * Outcome so far.
     */
    'status'?: (_orchestrator_v1_AttemptStatus);
    /**
     * The agent instance that held the lease.
     */
    'agentInstance'?: (string);
    /**
     * When it was claimed.
     */
    'startedAt'?: (_google_protobuf_Timestamp | null);
    /**
     * When it ended.
     */
    'finishedAt'?: (_google_protobuf_Timestamp | null);
    /**
     * When the lease expires (or expired).
     */
    'leaseExpiresAt'?: (_google_protobuf_Timestamp | null);
    /**
     * Cumulative usage reported for it.
     */
    'usage'?: (_orchestrator_v1_Usage | null);
    /**
     * Its output, if it completed. GetTask leaves it out of older attempts
     * when the task's outputs together would pass half the server's message
     * size (the newest attempt's is always kept).
     */
    'output'?: (_google_protobuf_Value | null);
    /**
     * Why it failed.
     */
    'error'?: (string);
    /**
     * The verdict on its output.
     */
    'verdict'?: (_orchestrator_v1_Verdict | null);
    /**
     * Feedback from the previous attempt's verdict, given to the agent.
     */
    'feedback'?: (string)[];
    /**
     * Its turns so far (1 until its agent asks for another with ContinueTask).
     */
    'turns'?: (number);
    /**
     * The checkpoint its agent left at its last ContinueTask (unset if none;
     * left out of older attempts as `output` is).
     */
    'checkpoint'?: (_google_protobuf_Value | null);
    /**
     * The model an `llm` agent's attempt ran on (a `model: cascade` agent's
     * differs per attempt: see the `cascade.step` event); empty for agents
     * that bring their own, and until the call starts.
     */
    'model'?: (string);
}
/**
 * One try of a task.
 */
export interface Attempt__Output {
    /**
     * 1 for the first attempt.
     */
    'number': (number);
    /**
     * Outcome so far.
     */
    'status': (_orchestrator_v1_AttemptStatus__Output);
    /**
     * The agent instance that held the lease.
     */
    'agentInstance': (string);
    /**
     * When it was claimed.
     */
    'startedAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * When it ended.
     */
    'finishedAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * When the lease expires (or expired).
     */
    'leaseExpiresAt': (_google_protobuf_Timestamp__Output | null);
    /**
     * Cumulative usage reported for it.
     */
    'usage': (_orchestrator_v1_Usage__Output | null);
    /**
     * Its output, if it completed. GetTask leaves it out of older attempts
     * when the task's outputs together would pass half the server's message
     * size (the newest attempt's is always kept).
     */
    'output': (_google_protobuf_Value__Output | null);
    /**
     * Why it failed.
     */
    'error': (string);
    /**
     * The verdict on its output.
     */
    'verdict': (_orchestrator_v1_Verdict__Output | null);
    /**
     * Feedback from the previous attempt's verdict, given to the agent.
     */
    'feedback': (string)[];
    /**
     * Its turns so far (1 until its agent asks for another with ContinueTask).
     */
    'turns': (number);
    /**
     * The checkpoint its agent left at its last ContinueTask (unset if none;
     * left out of older attempts as `output` is).
     */
    'checkpoint': (_google_protobuf_Value__Output | null);
    /**
     * The model an `llm` agent's attempt ran on (a `model: cascade` agent's
     * differs per attempt: see the `cascade.step` event); empty for agents
     * that bring their own, and until the call starts.
     */
    'model': (string);
}
