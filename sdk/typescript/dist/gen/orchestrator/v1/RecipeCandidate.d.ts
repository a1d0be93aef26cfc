import type { CreateRecipeFromRunRequest as _orchestrator_v1_CreateRecipeFromRunRequest, CreateRecipeFromRunRequest__Output as _orchestrator_v1_CreateRecipeFromRunRequest__Output } from '../../orchestrator/v1/CreateRecipeFromRunRequest';
/**
 * A recipe the history proposes.
 */
export interface RecipeCandidate {
    /**
     * The graph's fingerprint.
     */
    'shape'?: (string);
    /**
     * The runs that share it, newest first.
     */
    'runIds'?: (string)[];
    /**
     * What accepting it sends: CreateRecipeFromRun of the newest run, named
     * from the words its goals share, the differing texts as parameters.
     */
    'accept'?: (_orchestrator_v1_CreateRecipeFromRunRequest | null);
}
/**
 * A recipe the history proposes.
 */
export interface RecipeCandidate__Output {
    /**
     * The graph's fingerprint.
     */
    'shape': (string);
    /**
     * The runs that share it, newest first.
     */
    'runIds': (string)[];
    /**
     * What accepting it sends: CreateRecipeFromRun of the newest run, named
     * from the words its goals share, the differing texts as parameters.
     */
    'accept': (_orchestrator_v1_CreateRecipeFromRunRequest__Output | null);
}
