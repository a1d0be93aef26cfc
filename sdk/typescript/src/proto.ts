// The protos, loaded from the JSON the build generated from proto/
// (src/gen/proto.json): the installed package needs neither proto/ nor protoc.

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';

import descriptor from './gen/proto.json';
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
export const LOADER_OPTIONS: protoLoader.Options = { longs: Number, enums: String, defaults: true, oneofs: true };

let loaded: Services | undefined;

/** The API's service constructors, loaded once. */
export function services(): Services {
  loaded ??= grpc.loadPackageDefinition(
    protoLoader.fromJSON(descriptor as unknown as Parameters<typeof protoLoader.fromJSON>[0], LOADER_OPTIONS),
  ) as unknown as Services;
  return loaded;
}

let reflected: protobuf.Root | undefined;

/** A message type of the API by its full name (`orchestrator.v1.TaskSpec`), for the plain-JSON conversions. */
export function messageType(name: string): protobuf.Type {
  reflected ??= protobuf.Root.fromJSON(descriptor as unknown as protobuf.INamespace);
  return reflected.lookupType(name);
}
