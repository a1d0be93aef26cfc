"use strict";
// Original file: /work/main/proto/orchestrator/v1/schedule.proto
Object.defineProperty(exports, "__esModule", { value: true });
