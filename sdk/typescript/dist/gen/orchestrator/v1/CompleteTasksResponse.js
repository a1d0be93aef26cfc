"use strict";
// Original file: proto/orchestrator/v1/coordinator.proto
Object.defineProperty(exports, "__esModule", { value: true });
