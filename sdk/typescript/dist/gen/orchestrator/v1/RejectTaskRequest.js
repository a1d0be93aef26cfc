"use strict";
// Original file: proto/orchestrator/v1/run.proto
Object.defineProperty(exports, "__esModule", { value: true });
