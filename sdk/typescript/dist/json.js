"use strict";
// google.protobuf.Value / Struct <-> plain JSON. The loader keeps the
// well-known JSON types as messages ({ fields: { k: { stringValue } } }); the
// SDK's own API (task inputs, metadata, outputs, checkpoints) speaks plain JSON.
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
exports.toValue = toValue;
exports.toStruct = toStruct;
exports.fromValue = fromValue;
exports.fromStruct = fromStruct;
exports.toMessage = toMessage;
exports.fromMessage = fromMessage;
const protobuf = __importStar(require("protobufjs"));
/** Arrays and objects inside this many others are refused, as the server refuses them (src/api/convert.rs). */
const MAX_DEPTH = 24;
/** An object with exactly these entries, `__proto__` included as a plain key. */
function record(entries) {
    const out = {};
    for (const [k, v] of entries)
        Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
}
function tooDeep(depth) {
    if (depth >= MAX_DEPTH)
        throw new TypeError(`JSON nested deeper than ${MAX_DEPTH} levels`);
}
/**
 * Plain JSON as a `google.protobuf.Value`. Throws on what JSON cannot hold
 * (functions, cycles, NaN, class instances, too deep). `depth` counts the
 * arrays and objects around `v`.
 */
function toValue(v, depth = 0) {
    if (v === null || v === undefined)
        return { nullValue: 'NULL_VALUE' };
    switch (typeof v) {
        case 'number':
            if (!Number.isFinite(v))
                throw new TypeError(`${v} is not a JSON number`);
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
            if (typeof v.toJSON === 'function') {
                const j = v.toJSON();
                if (j !== null && typeof j === 'object' && typeof j.toJSON === 'function') {
                    throw new TypeError('toJSON() returned a value with its own toJSON()');
                }
                return toValue(j, depth);
            }
            return { structValue: toStruct(v, depth) };
        default:
            throw new TypeError(`a ${typeof v} is not JSON`);
    }
}
/** A plain object (an object literal, `Object.create(null)`, parsed JSON) as a `google.protobuf.Struct`. */
function toStruct(o, depth = 0) {
    const proto = o === null || typeof o !== 'object' ? undefined : Object.getPrototypeOf(o);
    if (proto === undefined || (proto !== null && proto !== Object.prototype) || Array.isArray(o)) {
        const what = o === null ? 'null' : typeof o !== 'object' ? `a ${typeof o}` : `a ${proto?.constructor?.name ?? 'class'} instance`;
        throw new TypeError(`a JSON object must be a plain object, not ${what}`);
    }
    tooDeep(depth);
    return { fields: record(Object.entries(o).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toValue(v, depth + 1)])) };
}
/** A `google.protobuf.Value` as plain JSON (null when unset). */
function fromValue(v) {
    if (!v)
        return null;
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
function fromList(l) {
    return (l?.values ?? []).map(fromValue);
}
/** A `google.protobuf.Struct` as a plain object ({} when unset); a `__proto__` key stays a key. */
function fromStruct(s) {
    return record(Object.entries(s?.fields ?? {}).map(([k, v]) => [k, fromValue(v)]));
}
const STRUCT = 'google.protobuf.Struct';
const VALUE = 'google.protobuf.Value';
const LIST = 'google.protobuf.ListValue';
/** A plain-JSON request as the message the loader encodes (the Struct and Value fields converted). */
function toMessage(type, plain, depth = 0) {
    return walk(type, plain, depth, (name, v) => {
        if (name === STRUCT)
            return toStruct(v);
        if (name === VALUE)
            return toValue(v);
        if (!Array.isArray(v))
            throw new TypeError('a google.protobuf.ListValue must be an array');
        return { values: v.map((x) => toValue(x, 1)) };
    }, true);
}
/** A decoded message with its Struct and Value fields as plain JSON. */
function fromMessage(type, message, depth = 0) {
    return walk(type, message, depth, (name, v) => {
        if (name === STRUCT)
            return fromStruct(v);
        if (name === VALUE)
            return fromValue(v);
        return fromList(v);
    }, false);
}
/**
 * Walks a message's fields, converting its Struct, Value and ListValue
 * fields with `json`. `strict` (requests): keys may be the fields' names in
 * camelCase or snake_case, and any other key is refused, so that a typo is
 * an error rather than a field silently left out.
 */
function walk(type, obj, depth, json, strict) {
    if (depth > MAX_DEPTH)
        throw new TypeError(`a message nested deeper than ${MAX_DEPTH}`);
    if (obj === null || typeof obj !== 'object')
        return obj;
    const out = {};
    for (const [raw, v] of Object.entries(obj)) {
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
        const one = (x) => name === STRUCT || name === VALUE || name === LIST ? json(name, x) : walk(rt, x, depth + 1, json, strict);
        if (field.map) {
            out[key] = record(Object.entries(v).map(([k, x]) => [k, one(x)]));
        }
        else if (field.repeated && Array.isArray(v)) {
            out[key] = v.map(one);
        }
        else {
            out[key] = one(v);
        }
    }
    return out;
}
