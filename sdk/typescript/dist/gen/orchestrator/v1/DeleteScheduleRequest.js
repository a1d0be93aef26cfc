"use strict";
// Original file: proto/orchestrator/v1/schedule.proto
Object.defineProperty(exports, "__esModule", { value: true });
