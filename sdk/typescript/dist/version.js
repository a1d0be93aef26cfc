"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.VERSION = void 0;
/** The SDK's version, sent in `x-orchestrator-sdk` (a test checks it against package.json). */
exports.VERSION = '0.1.0';
