"use strict";
// Original file: proto/orchestrator/v1/recipe.proto
Object.defineProperty(exports, "__esModule", { value: true });
