"use strict";
// Original file: proto/orchestrator/v1/verifier.proto
Object.defineProperty(exports, "__esModule", { value: true });
