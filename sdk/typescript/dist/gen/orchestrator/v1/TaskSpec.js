"use strict";
// Original file: proto/orchestrator/v1/types.proto
Object.defineProperty(exports, "__esModule", { value: true });
