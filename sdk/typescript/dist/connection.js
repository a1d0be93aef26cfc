"use strict";
// How the SDK reaches a server: its address, the API key and TLS, with the
// same environment variables as the orchestrator CLI standing in for what is unset.
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.target = target;
const fs = __importStar(require("node:fs"));
const grpc = __importStar(require("@grpc/grpc-js"));
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);
const MAX_MESSAGE = 16 * 1024 * 1024;
/** The connection options resolved against the environment. */
function target(o = {}) {
    const env = process.env;
    const server = o.server || env.ORCHESTRATOR_SERVER || '127.0.0.1:50051';
    const apiKey = o.apiKey ?? env.ORCHESTRATOR_API_KEY ?? '';
    const tlsCa = o.tlsCa || env.ORCHESTRATOR_TLS_CA;
    const tlsCert = o.tlsCert || env.ORCHESTRATOR_CLIENT_CERT;
    const tlsKey = o.tlsKey || env.ORCHESTRATOR_CLIENT_KEY;
    const address = server.replace(/^https?:\/\//, '');
    const options = {
        'grpc.max_receive_message_length': MAX_MESSAGE,
        'grpc.keepalive_time_ms': 30_000,
    };
    let credentials;
    if (Boolean(tlsCert) !== Boolean(tlsKey)) {
        // grpc-js would fall back to TLS without a client certificate, and the server's refusal would not say why.
        throw new Error('mutual TLS needs both a client certificate (tlsCert) and its key (tlsKey)');
    }
    if (server.startsWith('https://') || tlsCa || tlsCert || tlsKey) {
        const read = (p) => (p ? fs.readFileSync(p) : null);
        credentials = grpc.credentials.createSsl(read(tlsCa), read(tlsKey), read(tlsCert));
        if (o.tlsDomain)
            options['grpc.ssl_target_name_override'] = o.tlsDomain;
    }
    else {
        credentials = grpc.credentials.createInsecure();
        const host = address.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
        if (apiKey && !LOCAL_HOSTS.has(host)) {
            process.emitWarning(`the API key goes to ${address} in clear; use https:// or tlsCa`, 'OrchestratorSecurityWarning');
        }
    }
    if (apiKey)
        options.interceptors = [bearer(apiKey)];
    return { address, credentials, options };
}
/** Adds `authorization: Bearer KEY` to every call (call credentials need TLS in grpc-js; the server may run without). */
function bearer(key) {
    return (options, next) => new grpc.InterceptingCall(next(options), {
        start(metadata, listener, start) {
            metadata.set('authorization', `Bearer ${key}`);
            start(metadata, listener);
        },
    });
}
