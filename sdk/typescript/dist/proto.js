"use strict";
// The protos, loaded from the JSON the build generated from proto/
// (src/gen/proto.json): the installed package needs neither proto/ nor protoc.
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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.LOADER_OPTIONS = void 0;
exports.services = services;
exports.messageType = messageType;
const grpc = __importStar(require("@grpc/grpc-js"));
const protoLoader = __importStar(require("@grpc/proto-loader"));
const protobuf = __importStar(require("protobufjs"));
const proto_json_1 = __importDefault(require("./gen/proto.json"));
/** The loader options the generated types were made with (scripts/build.js, TYPE_OPTIONS). */
exports.LOADER_OPTIONS = { longs: Number, enums: String, defaults: true, oneofs: true };
let loaded;
/** The API's service constructors, loaded once. */
function services() {
    loaded ??= grpc.loadPackageDefinition(protoLoader.fromJSON(proto_json_1.default, exports.LOADER_OPTIONS));
    return loaded;
}
let reflected;
/** A message type of the API by its full name (`orchestrator.v1.TaskSpec`), for the plain-JSON conversions. */
function messageType(name) {
    reflected ??= protobuf.Root.fromJSON(proto_json_1.default);
    return reflected.lookupType(name);
}
