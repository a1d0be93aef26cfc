"use strict";
// Original file: proto/orchestrator/v1/guidance.proto
Object.defineProperty(exports, "__esModule", { value: true });
