"use strict";
// Original file: proto/orchestrator/v1/admin.proto
Object.defineProperty(exports, "__esModule", { value: true });
