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

/** Arrays and objects inside this many others are refused, as the server refuses them (src/api/convert.rs). */
const MAX_DEPTH = 24;

/** An object with exactly these entries, `__proto__` included as a plain key. */
function record<T>(entries: Iterable<[string, T]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

function tooDeep(depth: number): void {
  if (depth >= MAX_DEPTH) throw new TypeError(`JSON nested deeper than ${MAX_DEPTH} levels`);
}

/**
 * Plain JSON as a `google.protobuf.Value`. Throws on what JSON cannot hold
 * (functions, cycles, NaN, class instances, too deep). `depth` counts the
 * arrays and objects around `v`.
 */
export function toValue(v: unknown, depth = 0): Value {
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
      if (Array.isArray(v)) {
        tooDeep(depth);
        return { listValue: { values: v.map((x) => toValue(x, depth + 1)) } };
      }
      // A Date and the like say how they are JSON; a toJSON that returns itself is refused below.
      if (typeof (v as { toJSON?: unknown }).toJSON === 'function') {
        const j = (v as { toJSON(): unknown }).toJSON();
        if (j !== null && typeof j === 'object' && typeof (j as { toJSON?: unknown }).toJSON === 'function') {
          throw new TypeError('toJSON() returned a value with its own toJSON()');
        }
        return toValue(j, depth);
      }
      return { structValue: toStruct(v as Record<string, unknown>, depth) };
    default:
      throw new TypeError(`a ${typeof v} is not JSON`);
  }
}

/** A plain object (an object literal, `Object.create(null)`, parsed JSON) as a `google.protobuf.Struct`. */
export function toStruct(o: Record<string, unknown>, depth = 0): Struct {
  const proto = o === null || typeof o !== 'object' ? undefined : Object.getPrototypeOf(o);
  if (proto === undefined || (proto !== null && proto !== Object.prototype) || Array.isArray(o)) {
    const what = o === null ? 'null' : typeof o !== 'object' ? `a ${typeof o}` : `a ${proto?.constructor?.name ?? 'class'} instance`;
    throw new TypeError(`a JSON object must be a plain object, not ${what}`);
  }
  tooDeep(depth);
  return { fields: record(Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toValue(v, depth + 1)])) };
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

/** A `google.protobuf.Struct` as a plain object ({} when unset); a `__proto__` key stays a key. */
export function fromStruct(s: Struct__Output | null | undefined): { [key: string]: Json } {
  return record(Object.entries(s?.fields ?? {}).map(([k, v]) => [k, fromValue(v)]));
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
    if (!Array.isArray(v)) throw new TypeError('a google.protobuf.ListValue must be an array');
    return { values: v.map((x) => toValue(x, 1)) };
  }, true);
}

/** A decoded message with its Struct and Value fields as plain JSON. */
export function fromMessage(type: protobuf.Type, message: unknown, depth = 0): unknown {
  return walk(type, message, depth, (name, v) => {
    if (name === STRUCT) return fromStruct(v as Struct__Output);
    if (name === VALUE) return fromValue(v as Value__Output);
    return fromList(v as ListValue__Output);
  }, false);
}

/**
 * Walks a message's fields, converting its Struct, Value and ListValue
 * fields with `json`. `strict` (requests): keys may be the fields' names in
 * camelCase or snake_case, and any other key is refused, so that a typo is
 * an error rather than a field silently left out.
 */
function walk(
  type: protobuf.Type,
  obj: unknown,
  depth: number,
  json: (name: string, v: unknown) => unknown,
  strict: boolean,
): unknown {
  if (depth > MAX_DEPTH) throw new TypeError(`a message nested deeper than ${MAX_DEPTH}`);
  if (obj === null || typeof obj !== 'object') return obj;
  const out: Record<string, unknown> = {};
  for (const [raw, v] of Object.entries(obj as Record<string, unknown>)) {
    const key = strict ? protobuf.util.camelCase(raw) : raw;
    const field = Object.hasOwn(type.fields, key) ? type.fields[key] : undefined;
    if (strict && !field && !Object.hasOwn(type.oneofs ?? {}, key)) {
      throw new TypeError(`${type.fullName.slice(1)} has no field ${JSON.stringify(raw)}`);
    }
    const rt = field?.resolve().resolvedType;
    if (!field || !(rt instanceof protobuf.Type) || v === undefined || (v === null && rt.fullName !== `.${VALUE}`)) {
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      continue;
    }
    const name = rt.fullName.slice(1);
    const one = (x: unknown) =>
      name === STRUCT || name === VALUE || name === LIST ? json(name, x) : walk(rt, x, depth + 1, json, strict);
    if (field.map) {
      out[key] = record(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, one(x)]));
    } else if (field.repeated && Array.isArray(v)) {
      out[key] = v.map(one);
    } else {
      out[key] = one(v);
    }
  }
  return out;
}
