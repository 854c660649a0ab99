/**
 * Regenerates `src/proto/onnx_schema.ts` (the protobufjs JSON descriptor the decoder loads) from
 * the checked-in official schema `proto/onnx.proto`. Run from the repository root:
 *
 *     pnpm exec tsx packages/convert/scripts/gen_onnx_schema.ts
 *
 * `test/schema.test.ts` fails when the generated file is out of date with the .proto.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const PROTO = fileURLToPath(new URL('../proto/onnx.proto', import.meta.url));
const OUT = fileURLToPath(new URL('../src/proto/onnx_schema.ts', import.meta.url));

/** The TypeScript source of `src/proto/onnx_schema.ts` for the given .proto text. */
export function schemaSource(protoText: string): string {
  const { root } = protobuf.parse(protoText, { keepCase: true, alternateCommentMode: false });
  const json = JSON.stringify(root.toJSON({ keepComments: false }), null, 1);
  return [
    '/**',
    ' * The official ONNX protobuf schema as a protobufjs JSON descriptor (field names as in the',
    ' * .proto, snake_case). GENERATED from `proto/onnx.proto` by `scripts/gen_onnx_schema.ts`: do',
    ' * not edit; see `proto/PROVENANCE.md` for where the schema comes from and its license.',
    ' */',
    '',
    '/** The schema, for `protobuf.Root.fromJSON`. @internal */',
    `export const ONNX_SCHEMA = ${json};`,
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OUT, schemaSource(readFileSync(PROTO, 'utf8')));
  console.log(`wrote ${OUT}`);
}
