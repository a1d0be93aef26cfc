"use strict";
// Original file: /work/main/proto/orchestrator/v1/guidance.proto
Object.defineProperty(exports, "__esModule", { value: true });
