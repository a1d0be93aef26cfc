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
/** Nesting deeper than this is refused (the server refuses it too). */
const MAX_DEPTH = 64;
/** Plain JSON as a `google.protobuf.Value`. Throws on what JSON cannot hold (functions, cycles, NaN, too deep). */
function toValue(v, depth = 0) {
    if (depth > MAX_DEPTH)
        throw new TypeError(`JSON nested deeper than ${MAX_DEPTH}`);
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
            if (Array.isArray(v))
                return { listValue: { values: v.map((x) => toValue(x, depth + 1)) } };
            if (typeof v.toJSON === 'function')
                return toValue(v.toJSON(), depth + 1);
            return { structValue: toStruct(v, depth + 1) };
        default:
            throw new TypeError(`a ${typeof v} is not JSON`);
    }
}
/** A plain object as a `google.protobuf.Struct`. */
function toStruct(o, depth = 0) {
    const fields = {};
    for (const [k, v] of Object.entries(o)) {
        if (v !== undefined)
            fields[k] = toValue(v, depth + 1);
    }
    return { fields };
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
/** A `google.protobuf.Struct` as a plain object ({} when unset). */
function fromStruct(s) {
    const out = {};
    for (const [k, v] of Object.entries(s?.fields ?? {}))
        out[k] = fromValue(v);
    return out;
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
        return { values: v.map((x) => toValue(x)) };
    });
}
/** A decoded message with its Struct and Value fields as plain JSON. */
function fromMessage(type, message, depth = 0) {
    return walk(type, message, depth, (name, v) => {
        if (name === STRUCT)
            return fromStruct(v);
        if (name === VALUE)
            return fromValue(v);
        return fromList(v);
    });
}
function walk(type, obj, depth, json) {
    if (depth > MAX_DEPTH)
        throw new TypeError(`a message nested deeper than ${MAX_DEPTH}`);
    if (obj === null || typeof obj !== 'object')
        return obj;
    const out = {};
    for (const [key, v] of Object.entries(obj)) {
        const field = type.fields[key];
        const rt = field?.resolve().resolvedType;
        if (!field || !(rt instanceof protobuf.Type) || v === undefined || (v === null && rt.fullName !== `.${VALUE}`)) {
            out[key] = v;
            continue;
        }
        const name = rt.fullName.slice(1);
        const one = (x) => name === STRUCT || name === VALUE || name === LIST ? json(name, x) : walk(rt, x, depth + 1, json);
        if (field.map) {
            out[key] = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, one(x)]));
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
