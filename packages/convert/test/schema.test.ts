/**
 * The generated protobufjs descriptor (src/proto/onnx_schema.ts) matches the checked-in official
 * schema proto/onnx.proto; regenerate with scripts/gen_onnx_schema.ts when this fails.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaSource } from '../scripts/gen_onnx_schema.js';

describe('ONNX schema', () => {
  it('src/proto/onnx_schema.ts is generated from proto/onnx.proto', () => {
    const proto = readFileSync(new URL('../proto/onnx.proto', import.meta.url), 'utf8');
    const generated = readFileSync(new URL('../src/proto/onnx_schema.ts', import.meta.url), 'utf8');
    expect(generated).toBe(schemaSource(proto));
  });

  it('proto/onnx.proto keeps its license header', () => {
    const proto = readFileSync(new URL('../proto/onnx.proto', import.meta.url), 'utf8');
    expect(proto.slice(0, 200)).toContain('SPDX-License-Identifier: Apache-2.0');
  });
});
