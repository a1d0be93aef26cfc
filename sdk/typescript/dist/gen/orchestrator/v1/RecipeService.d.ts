import type * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import type { CreateRecipeFromRunRequest as _orchestrator_v1_CreateRecipeFromRunRequest, CreateRecipeFromRunRequest__Output as _orchestrator_v1_CreateRecipeFromRunRequest__Output } from '../../orchestrator/v1/CreateRecipeFromRunRequest';
import type { CreateRecipeFromRunResponse as _orchestrator_v1_CreateRecipeFromRunResponse, CreateRecipeFromRunResponse__Output as _orchestrator_v1_CreateRecipeFromRunResponse__Output } from '../../orchestrator/v1/CreateRecipeFromRunResponse';
import type { CreateRecipeRequest as _orchestrator_v1_CreateRecipeRequest, CreateRecipeRequest__Output as _orchestrator_v1_CreateRecipeRequest__Output } from '../../orchestrator/v1/CreateRecipeRequest';
import type { DeleteRecipeRequest as _orchestrator_v1_DeleteRecipeRequest, DeleteRecipeRequest__Output as _orchestrator_v1_DeleteRecipeRequest__Output } from '../../orchestrator/v1/DeleteRecipeRequest';
import type { DeleteRecipeResponse as _orchestrator_v1_DeleteRecipeResponse, DeleteRecipeResponse__Output as _orchestrator_v1_DeleteRecipeResponse__Output } from '../../orchestrator/v1/DeleteRecipeResponse';
import type { GetRecipeRequest as _orchestrator_v1_GetRecipeRequest, GetRecipeRequest__Output as _orchestrator_v1_GetRecipeRequest__Output } from '../../orchestrator/v1/GetRecipeRequest';
import type { ListRecipesRequest as _orchestrator_v1_ListRecipesRequest, ListRecipesRequest__Output as _orchestrator_v1_ListRecipesRequest__Output } from '../../orchestrator/v1/ListRecipesRequest';
import type { ListRecipesResponse as _orchestrator_v1_ListRecipesResponse, ListRecipesResponse__Output as _orchestrator_v1_ListRecipesResponse__Output } from '../../orchestrator/v1/ListRecipesResponse';
import type { Recipe as _orchestrator_v1_Recipe, Recipe__Output as _orchestrator_v1_Recipe__Output } from '../../orchestrator/v1/Recipe';
/**
 * Recipes: named, versioned run templates of a workspace. A recipe's
 * template is a CreateRunRequest whose text fields may use its parameters
 * as `{{name}}`: the goal, the labels' values, the context's strings, the
 * criteria's string parameters, and of every task (child plans' too) the
 * title, the instructions, the metadata's strings and a child run's goal;
 * never ids or agents. Every edit is a new, immutable version; CreateRun
 * with `recipe` renders one (its latest by default) with the run's params.
 * Operators create and delete; viewers read.
 */
export interface RecipeServiceClient extends grpc.Client {
    /**
     * Adds a version of a recipe (the first one makes it): the template is
     * checked as CreateRun checks a run (with the placeholders as they are),
     * every placeholder must be a declared parameter, every default of its
     * parameter's type. INVALID_ARGUMENT names every violation;
     * RESOURCE_EXHAUSTED when the workspace keeps 10,000 versions (of all its
     * recipes; deleting a recipe frees its versions).
     */
    CreateRecipe(argument: _orchestrator_v1_CreateRecipeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    CreateRecipe(argument: _orchestrator_v1_CreateRecipeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    CreateRecipe(argument: _orchestrator_v1_CreateRecipeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    CreateRecipe(argument: _orchestrator_v1_CreateRecipeRequest, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    /**
     * Adds a version of a recipe (the first one makes it): the template is
     * checked as CreateRun checks a run (with the placeholders as they are),
     * every placeholder must be a declared parameter, every default of its
     * parameter's type. INVALID_ARGUMENT names every violation;
     * RESOURCE_EXHAUSTED when the workspace keeps 10,000 versions (of all its
     * recipes; deleting a recipe frees its versions).
     */
    createRecipe(argument: _orchestrator_v1_CreateRecipeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    createRecipe(argument: _orchestrator_v1_CreateRecipeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    createRecipe(argument: _orchestrator_v1_CreateRecipeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    createRecipe(argument: _orchestrator_v1_CreateRecipeRequest, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    /**
     * Turns a completed run into a recipe (a new version when the name has
     * one): the run's graph as it ended (spawned tasks and revisions in, the
     * tasks a revision replaced out), its criteria, budget, labels, policy and
     * context. Each literal the caller names becomes a string parameter: every
     * occurrence in the template's text fields turns into `{{name}}`, and the
     * literal is its default, so the recipe run without params makes the run
     * again. With `suggest`, the utility model proposes the literals and
     * nothing is stored: confirm by calling again with them as `parameters`.
     * FAILED_PRECONDITION for a run that has not completed; INVALID_ARGUMENT
     * names every bad literal (empty, too long, found nowhere, given twice).
     */
    CreateRecipeFromRun(argument: _orchestrator_v1_CreateRecipeFromRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CreateRecipeFromRunResponse__Output>): grpc.ClientUnaryCall;
    CreateRecipeFromRun(argument: _orchestrator_v1_CreateRecipeFromRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_CreateRecipeFromRunResponse__Output>): grpc.ClientUnaryCall;
    CreateRecipeFromRun(argument: _orchestrator_v1_CreateRecipeFromRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CreateRecipeFromRunResponse__Output>): grpc.ClientUnaryCall;
    CreateRecipeFromRun(argument: _orchestrator_v1_CreateRecipeFromRunRequest, callback: grpc.requestCallback<_orchestrator_v1_CreateRecipeFromRunResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Turns a completed run into a recipe (a new version when the name has
     * one): the run's graph as it ended (spawned tasks and revisions in, the
     * tasks a revision replaced out), its criteria, budget, labels, policy and
     * context. Each literal the caller names becomes a string parameter: every
     * occurrence in the template's text fields turns into `{{name}}`, and the
     * literal is its default, so the recipe run without params makes the run
     * again. With `suggest`, the utility model proposes the literals and
     * nothing is stored: confirm by calling again with them as `parameters`.
     * FAILED_PRECONDITION for a run that has not completed; INVALID_ARGUMENT
     * names every bad literal (empty, too long, found nowhere, given twice).
     */
    createRecipeFromRun(argument: _orchestrator_v1_CreateRecipeFromRunRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CreateRecipeFromRunResponse__Output>): grpc.ClientUnaryCall;
    createRecipeFromRun(argument: _orchestrator_v1_CreateRecipeFromRunRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_CreateRecipeFromRunResponse__Output>): grpc.ClientUnaryCall;
    createRecipeFromRun(argument: _orchestrator_v1_CreateRecipeFromRunRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_CreateRecipeFromRunResponse__Output>): grpc.ClientUnaryCall;
    createRecipeFromRun(argument: _orchestrator_v1_CreateRecipeFromRunRequest, callback: grpc.requestCallback<_orchestrator_v1_CreateRecipeFromRunResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Deletes a recipe, every version: runs made from it are not touched (they
     * keep their plans and name the recipe). A later CreateRecipe of the name
     * starts after its last version number.
     */
    DeleteRecipe(argument: _orchestrator_v1_DeleteRecipeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_DeleteRecipeResponse__Output>): grpc.ClientUnaryCall;
    DeleteRecipe(argument: _orchestrator_v1_DeleteRecipeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_DeleteRecipeResponse__Output>): grpc.ClientUnaryCall;
    DeleteRecipe(argument: _orchestrator_v1_DeleteRecipeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_DeleteRecipeResponse__Output>): grpc.ClientUnaryCall;
    DeleteRecipe(argument: _orchestrator_v1_DeleteRecipeRequest, callback: grpc.requestCallback<_orchestrator_v1_DeleteRecipeResponse__Output>): grpc.ClientUnaryCall;
    /**
     * Deletes a recipe, every version: runs made from it are not touched (they
     * keep their plans and name the recipe). A later CreateRecipe of the name
     * starts after its last version number.
     */
    deleteRecipe(argument: _orchestrator_v1_DeleteRecipeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_DeleteRecipeResponse__Output>): grpc.ClientUnaryCall;
    deleteRecipe(argument: _orchestrator_v1_DeleteRecipeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_DeleteRecipeResponse__Output>): grpc.ClientUnaryCall;
    deleteRecipe(argument: _orchestrator_v1_DeleteRecipeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_DeleteRecipeResponse__Output>): grpc.ClientUnaryCall;
    deleteRecipe(argument: _orchestrator_v1_DeleteRecipeRequest, callback: grpc.requestCallback<_orchestrator_v1_DeleteRecipeResponse__Output>): grpc.ClientUnaryCall;
    /**
     * A version of a recipe (its latest by default), with its versions.
     */
    GetRecipe(argument: _orchestrator_v1_GetRecipeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    GetRecipe(argument: _orchestrator_v1_GetRecipeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    GetRecipe(argument: _orchestrator_v1_GetRecipeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    GetRecipe(argument: _orchestrator_v1_GetRecipeRequest, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    /**
     * A version of a recipe (its latest by default), with its versions.
     */
    getRecipe(argument: _orchestrator_v1_GetRecipeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    getRecipe(argument: _orchestrator_v1_GetRecipeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    getRecipe(argument: _orchestrator_v1_GetRecipeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    getRecipe(argument: _orchestrator_v1_GetRecipeRequest, callback: grpc.requestCallback<_orchestrator_v1_Recipe__Output>): grpc.ClientUnaryCall;
    /**
     * A workspace's recipes by name, each one's latest version.
     */
    ListRecipes(argument: _orchestrator_v1_ListRecipesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRecipesResponse__Output>): grpc.ClientUnaryCall;
    ListRecipes(argument: _orchestrator_v1_ListRecipesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListRecipesResponse__Output>): grpc.ClientUnaryCall;
    ListRecipes(argument: _orchestrator_v1_ListRecipesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRecipesResponse__Output>): grpc.ClientUnaryCall;
    ListRecipes(argument: _orchestrator_v1_ListRecipesRequest, callback: grpc.requestCallback<_orchestrator_v1_ListRecipesResponse__Output>): grpc.ClientUnaryCall;
    /**
     * A workspace's recipes by name, each one's latest version.
     */
    listRecipes(argument: _orchestrator_v1_ListRecipesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRecipesResponse__Output>): grpc.ClientUnaryCall;
    listRecipes(argument: _orchestrator_v1_ListRecipesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orchestrator_v1_ListRecipesResponse__Output>): grpc.ClientUnaryCall;
    listRecipes(argument: _orchestrator_v1_ListRecipesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orchestrator_v1_ListRecipesResponse__Output>): grpc.ClientUnaryCall;
    listRecipes(argument: _orchestrator_v1_ListRecipesRequest, callback: grpc.requestCallback<_orchestrator_v1_ListRecipesResponse__Output>): grpc.ClientUnaryCall;
}
/**
 * Recipes: named, versioned run templates of a workspace. A recipe's
 * template is a CreateRunRequest whose text fields may use its parameters
 * as `{{name}}`: the goal, the labels' values, the context's strings, the
 * criteria's string parameters, and of every task (child plans' too) the
 * title, the instructions, the metadata's strings and a child run's goal;
 * never ids or agents. Every edit is a new, immutable version; CreateRun
 * with `recipe` renders one (its latest by default) with the run's params.
 * Operators create and delete; viewers read.
 */
export interface RecipeServiceHandlers extends grpc.UntypedServiceImplementation {
    /**
     * Adds a version of a recipe (the first one makes it): the template is
     * checked as CreateRun checks a run (with the placeholders as they are),
     * every placeholder must be a declared parameter, every default of its
     * parameter's type. INVALID_ARGUMENT names every violation;
     * RESOURCE_EXHAUSTED when the workspace keeps 10,000 versions (of all its
     * recipes; deleting a recipe frees its versions).
     */
    CreateRecipe: grpc.handleUnaryCall<_orchestrator_v1_CreateRecipeRequest__Output, _orchestrator_v1_Recipe>;
    /**
     * Turns a completed run into a recipe (a new version when the name has
     * one): the run's graph as it ended (spawned tasks and revisions in, the
     * tasks a revision replaced out), its criteria, budget, labels, policy and
     * context. Each literal the caller names becomes a string parameter: every
     * occurrence in the template's text fields turns into `{{name}}`, and the
     * literal is its default, so the recipe run without params makes the run
     * again. With `suggest`, the utility model proposes the literals and
     * nothing is stored: confirm by calling again with them as `parameters`.
     * FAILED_PRECONDITION for a run that has not completed; INVALID_ARGUMENT
     * names every bad literal (empty, too long, found nowhere, given twice).
     */
    CreateRecipeFromRun: grpc.handleUnaryCall<_orchestrator_v1_CreateRecipeFromRunRequest__Output, _orchestrator_v1_CreateRecipeFromRunResponse>;
    /**
     * Deletes a recipe, every version: runs made from it are not touched (they
     * keep their plans and name the recipe). A later CreateRecipe of the name
     * starts after its last version number.
     */
    DeleteRecipe: grpc.handleUnaryCall<_orchestrator_v1_DeleteRecipeRequest__Output, _orchestrator_v1_DeleteRecipeResponse>;
    /**
     * A version of a recipe (its latest by default), with its versions.
     */
    GetRecipe: grpc.handleUnaryCall<_orchestrator_v1_GetRecipeRequest__Output, _orchestrator_v1_Recipe>;
    /**
     * A workspace's recipes by name, each one's latest version.
     */
    ListRecipes: grpc.handleUnaryCall<_orchestrator_v1_ListRecipesRequest__Output, _orchestrator_v1_ListRecipesResponse>;
}
export interface RecipeServiceDefinition extends grpc.ServiceDefinition {
    CreateRecipe: MethodDefinition<_orchestrator_v1_CreateRecipeRequest, _orchestrator_v1_Recipe, _orchestrator_v1_CreateRecipeRequest__Output, _orchestrator_v1_Recipe__Output>;
    CreateRecipeFromRun: MethodDefinition<_orchestrator_v1_CreateRecipeFromRunRequest, _orchestrator_v1_CreateRecipeFromRunResponse, _orchestrator_v1_CreateRecipeFromRunRequest__Output, _orchestrator_v1_CreateRecipeFromRunResponse__Output>;
    DeleteRecipe: MethodDefinition<_orchestrator_v1_DeleteRecipeRequest, _orchestrator_v1_DeleteRecipeResponse, _orchestrator_v1_DeleteRecipeRequest__Output, _orchestrator_v1_DeleteRecipeResponse__Output>;
    GetRecipe: MethodDefinition<_orchestrator_v1_GetRecipeRequest, _orchestrator_v1_Recipe, _orchestrator_v1_GetRecipeRequest__Output, _orchestrator_v1_Recipe__Output>;
    ListRecipes: MethodDefinition<_orchestrator_v1_ListRecipesRequest, _orchestrator_v1_ListRecipesResponse, _orchestrator_v1_ListRecipesRequest__Output, _orchestrator_v1_ListRecipesResponse__Output>;
}
