/** The SDK's version, sent in `x-orchestrator-sdk` (a test checks it against package.json). */
export declare const VERSION = "0.1.0";
