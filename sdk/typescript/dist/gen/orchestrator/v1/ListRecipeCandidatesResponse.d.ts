import type { RecipeCandidate as _orchestrator_v1_RecipeCandidate, RecipeCandidate__Output as _orchestrator_v1_RecipeCandidate__Output } from '../../orchestrator/v1/RecipeCandidate';
/**
 * Output of ListRecipeCandidates.
 */
export interface ListRecipeCandidatesResponse {
    /**
     * The most shared graphs first.
     */
    'candidates'?: (_orchestrator_v1_RecipeCandidate)[];
}
/**
 * Output of ListRecipeCandidates.
 */
export interface ListRecipeCandidatesResponse__Output {
    /**
     * The most shared graphs first.
     */
    'candidates': (_orchestrator_v1_RecipeCandidate__Output)[];
}
