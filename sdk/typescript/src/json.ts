// google.protobuf.Value / Struct <-> plain JSON. The loader keeps the
// well-known JSON types as messages ({ fields: { k: { stringValue } } }); the
// SDK's own API (task inputs, metadata, outputs, checkpoints) speaks plain JSON.

import type { Long } from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';

import type { ListValue__Output } from './gen/google/protobuf/ListValue';
import type { Struct, Struct__Output } from './gen/google/protobuf/Struct';
import type { Value, Value__Output } from './gen/google/protobuf/Value';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Nesting deeper than this is refused (the server refuses it too). */
const MAX_DEPTH = 64;

/** Plain JSON as a `google.protobuf.Value`. Throws on what JSON cannot hold (functions, cycles, NaN, too deep). */
export function toValue(v: unknown, depth = 0): Value {
  if (depth > MAX_DEPTH) throw new TypeError(`JSON nested deeper than ${MAX_DEPTH}`);
  if (v === null || v === undefined) return { nullValue: 'NULL_VALUE' };
  switch (typeof v) {
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError(`${v} is not a JSON number`);
      return { numberValue: v };
    case 'string':
      return { stringValue: v };
    case 'boolean':
      return { boolValue: v };
    case 'object':
      if (Array.isArray(v)) return { listValue: { values: v.map((x) => toValue(x, depth + 1)) } };
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return toValue((v as { toJSON(): unknown }).toJSON(), depth + 1);
      return { structValue: toStruct(v as Record<string, unknown>, depth + 1) };
    default:
      throw new TypeError(`a ${typeof v} is not JSON`);
  }
}

/** A plain object as a `google.protobuf.Struct`. */
export function toStruct(o: Record<string, unknown>, depth = 0): Struct {
  const fields: Record<string, Value> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v !== undefined) fields[k] = toValue(v, depth + 1);
  }
  return { fields };
}

/** A `google.protobuf.Value` as plain JSON (null when unset). */
export function fromValue(v: Value__Output | null | undefined): Json {
  if (!v) return null;
  switch (v.kind) {
    case 'numberValue':
      return v.numberValue ?? 0;
    case 'stringValue':
      return v.stringValue ?? '';
    case 'boolValue':
      return v.boolValue ?? false;
    case 'listValue':
      return fromList(v.listValue);
    case 'structValue':
      return fromStruct(v.structValue);
    default:
      return null;
  }
}

function fromList(l: ListValue__Output | null | undefined): Json[] {
  return (l?.values ?? []).map(fromValue);
}

/** A `google.protobuf.Struct` as a plain object ({} when unset). */
export function fromStruct(s: Struct__Output | null | undefined): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(s?.fields ?? {})) out[k] = fromValue(v);
  return out;
}

// ------------------------------------------------------------ messages with plain JSON inside

type ValueKeys = 'nullValue' | 'numberValue' | 'stringValue' | 'boolValue' | 'structValue' | 'listValue' | 'kind';
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * A generated message type with every `google.protobuf.Struct` as a plain
 * object and every `google.protobuf.Value` as plain JSON, as the SDK's calls
 * take and give them (`metadata: { op: 'upper' }`, `run.output.value`).
 */
export type Plain<T> = T extends string | number | boolean | null | undefined | Uint8Array | Long
  ? T
  : T extends readonly (infer U)[]
    ? Plain<U>[]
    : Same<keyof T, 'fields'> extends true
      ? { [key: string]: Json }
      : Same<keyof T, ValueKeys> extends true
        ? Json
        : { [K in keyof T]: Plain<T[K]> };

const STRUCT = 'google.protobuf.Struct';
const VALUE = 'google.protobuf.Value';
const LIST = 'google.protobuf.ListValue';

/** A plain-JSON request as the message the loader encodes (the Struct and Value fields converted). */
export function toMessage(type: protobuf.Type, plain: unknown, depth = 0): unknown {
  return walk(type, plain, depth, (name, v) => {
    if (name === STRUCT) return toStruct(v as Record<string, unknown>);
    if (name === VALUE) return toValue(v);
    return { values: (v as unknown[]).map((x) => toValue(x)) };
  });
}

/** A decoded message with its Struct and Value fields as plain JSON. */
export function fromMessage(type: protobuf.Type, message: unknown, depth = 0): unknown {
  return walk(type, message, depth, (name, v) => {
    if (name === STRUCT) return fromStruct(v as Struct__Output);
    if (name === VALUE) return fromValue(v as Value__Output);
    return fromList(v as ListValue__Output);
  });
}

function walk(type: protobuf.Type, obj: unknown, depth: number, json: (name: string, v: unknown) => unknown): unknown {
  if (depth > MAX_DEPTH) throw new TypeError(`a message nested deeper than ${MAX_DEPTH}`);
  if (obj === null || typeof obj !== 'object') return obj;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(obj as Record<string, unknown>)) {
    const field = type.fields[key];
    const rt = field?.resolve().resolvedType;
    if (!field || !(rt instanceof protobuf.Type) || v === undefined || (v === null && rt.fullName !== `.${VALUE}`)) {
      out[key] = v;
      continue;
    }
    const name = rt.fullName.slice(1);
    const one = (x: unknown) =>
      name === STRUCT || name === VALUE || name === LIST ? json(name, x) : walk(rt, x, depth + 1, json);
    if (field.map) {
      out[key] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, one(x)]));
    } else if (field.repeated && Array.isArray(v)) {
      out[key] = v.map(one);
    } else {
      out[key] = one(v);
    }
  }
  return out;
}
