"use strict";
// Original file: null
Object.defineProperty(exports, "__esModule", { value: true });
