"use strict";
// Original file: null
Object.defineProperty(exports, "__esModule", { value: true });
exports.NullValue = void 0;
exports.NullValue = {
    NULL_VALUE: 'NULL_VALUE',
};
