import * as protoLoader from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';
import type { ProtoGrpcType as Admin } from './gen/admin';
import type { ProtoGrpcType as Coordinator } from './gen/coordinator';
import type { ProtoGrpcType as Guidance } from './gen/guidance';
import type { ProtoGrpcType as Recipe } from './gen/recipe';
import type { ProtoGrpcType as Run } from './gen/run';
import type { ProtoGrpcType as Schedule } from './gen/schedule';
import type { ProtoGrpcType as Verifier } from './gen/verifier';
/** Every package of the API: `orchestrator.v1.RunService`, `orchestrator.v1.AdminService`, ... (typed clients). */
export type Services = Admin & Coordinator & Guidance & Recipe & Run & Schedule & Verifier;
/** The loader options the generated types were made with (scripts/build.js, TYPE_OPTIONS). */
export declare const LOADER_OPTIONS: protoLoader.Options;
/** The API's service constructors, loaded once. */
export declare function services(): Services;
/** A message type of the API by its full name (`orchestrator.v1.TaskSpec`), for the plain-JSON conversions. */
export declare function messageType(name: string): protobuf.Type;
