import type { Verdict as _orchestrator_v1_Verdict, Verdict__Output as _orchestrator_v1_Verdict__Output } from '../../orchestrator/v1/Verdict';
import type { Usage as _orchestrator_v1_Usage, Usage__Output as _orchestrator_v1_Usage__Output } from '../../orchestrator/v1/Usage';
/**
 * Output of Verify.
 */
export interface VerifyResponse {
    /**
     * The verdict.
     */
    'verdict'?: (_orchestrator_v1_Verdict | null);
    /**
     * Tokens an LLM judge used.
     */
    'usage'?: (_orchestrator_v1_Usage | null);
}
/**
 * Output of Verify.
 */
export interface VerifyResponse__Output {
    /**
     * The verdict.
     */
    'verdict': (_orchestrator_v1_Verdict__Output | null);
    /**
     * Tokens an LLM judge used.
     */
    'usage': (_orchestrator_v1_Usage__Output | null);
}
