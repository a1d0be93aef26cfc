import type { Long } from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';
import type { Struct, Struct__Output } from './gen/google/protobuf/Struct';
import type { Value, Value__Output } from './gen/google/protobuf/Value';
/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | {
    [key: string]: Json;
};
/**
 * Plain JSON as a `google.protobuf.Value`. Throws on what JSON cannot hold
 * (functions, cycles, NaN, class instances, too deep). `depth` counts the
 * arrays and objects around `v`.
 */
export declare function toValue(v: unknown, depth?: number): Value;
/** A plain object (an object literal, `Object.create(null)`, parsed JSON) as a `google.protobuf.Struct`. */
export declare function toStruct(o: Record<string, unknown>, depth?: number): Struct;
/** A `google.protobuf.Value` as plain JSON (null when unset). */
export declare function fromValue(v: Value__Output | null | undefined): Json;
/** A `google.protobuf.Struct` as a plain object ({} when unset); a `__proto__` key stays a key. */
export declare function fromStruct(s: Struct__Output | null | undefined): {
    [key: string]: Json;
};
type ValueKeys = 'nullValue' | 'numberValue' | 'stringValue' | 'boolValue' | 'structValue' | 'listValue' | 'kind';
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/**
 * A generated message type with every `google.protobuf.Struct` as a plain
 * object and every `google.protobuf.Value` as plain JSON, as the SDK's calls
 * take and give them (`metadata: { op: 'upper' }`, `run.output.value`).
 */
export type Plain<T> = T extends string | number | boolean | null | undefined | Uint8Array | Long ? T : T extends readonly (infer U)[] ? Plain<U>[] : Same<keyof T, 'fields'> extends true ? {
    [key: string]: Json;
} : Same<keyof T, ValueKeys> extends true ? Json : {
    [K in keyof T]: Plain<T[K]>;
};
/** A plain-JSON request as the message the loader encodes (the Struct and Value fields converted). */
export declare function toMessage(type: protobuf.Type, plain: unknown, depth?: number): unknown;
/** A decoded message with its Struct and Value fields as plain JSON. */
export declare function fromMessage(type: protobuf.Type, message: unknown, depth?: number): unknown;
export {};
