"use strict";
// Original file: /work/main/proto/orchestrator/v1/verifier.proto
Object.defineProperty(exports, "__esModule", { value: true });
