/**
 * ONNX's own operator conformance tests (Debian's libonnx-testdata, installed by .ci/run) for
 * every supported op: each test either matches the stored output within 1e-4 (relative for values
 * above 1) or is rejected at import with a typed error; none gives wrong numbers or crashes. The
 * tests that pass are exactly the ones the package README lists.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setBackend } from '@snnts/core';
import { HAVE_ONNX_TESTDATA, conformanceTests, runConformance, type Outcome } from './helpers/conformance.js';

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const listed = new Set(
  [...(README.split('<!-- conformance:start -->')[1]?.split('<!-- conformance:end -->')[0] ?? '').matchAll(/`(test_\w+)`/g)].map((m) => m[1]!),
);
const tests = conformanceTests();
const outcomes = new Map<string, Outcome>();

beforeAll(async () => {
  await setBackend('cpu');
});

describe.skipIf(!HAVE_ONNX_TESTDATA)('ONNX node tests (libonnx-testdata)', () => {
  it('there are tests for the supported ops', () => {
    expect(tests.length).toBeGreaterThan(100);
  });

  it.each(tests)('%s', (name) => {
    const o = runConformance(name);
    outcomes.set(name, o);
    expect(o.kind === 'pass' || o.kind === 'rejected', JSON.stringify(o)).toBe(true);
    expect(o.kind === 'pass', `${name}: README lists it as ${listed.has(name) ? 'passing' : 'not passing'}, but it ${o.kind === 'pass' ? 'passed' : `was rejected (${'error' in o ? o.error : ''})`}`).toBe(listed.has(name));
  });

  it('the README lists no test that does not exist', () => {
    expect([...listed].filter((t) => !tests.includes(t))).toEqual([]);
  });
});
