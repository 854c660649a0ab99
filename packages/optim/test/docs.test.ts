/**
 * Documentation checks: every source file starts with a header comment, every public export has
 * TSDoc with a ```ts example, and every example in src/ runs (against the sources, on cpu).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect, beforeAll, afterAll, vi } from 'vitest';
import { setBackend } from '@snnts/core';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const files = readdirSync(SRC).filter((f) => f.endsWith('.ts'));
const sources = new Map(files.map((f) => [f, readFileSync(join(SRC, f), 'utf8')]));

/** Names re-exported by index.ts. */
function publicNames(): string[] {
  const index = sources.get('index.ts')!;
  return [...index.matchAll(/export (?:type )?\{([^}]+)\}/g)].flatMap((m) => m[1]!.split(',').map((s) => s.trim()).filter(Boolean));
}

/** The TSDoc block right before `export ... name`, or null. */
function docOf(name: string): string | null {
  const decl = new RegExp(`/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*export (?:abstract )?(?:class|function|interface|type|const) ${name}\\b`);
  for (const text of sources.values()) {
    const m = decl.exec(text);
    if (m) return m[1]!;
  }
  return null;
}

/** Every ```ts block in the TSDoc of src/, with where it came from. */
function examples(): [string, string][] {
  const out: [string, string][] = [];
  for (const [file, text] of sources) {
    for (const m of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      const line = text.slice(0, m.index).split('\n').length;
      out.push([`${file}:${line}`, m[1]!.replace(/^\s*\* ?/gm, '')]);
    }
  }
  return out;
}

describe('docs', () => {
  it('every source file starts with a header comment', () => {
    for (const [file, text] of sources) expect(text.startsWith('/**'), file).toBe(true);
  });

  it.each(publicNames())('%s has TSDoc with a ```ts example', (name) => {
    const doc = docOf(name);
    expect(doc, `no TSDoc found for ${name}`).not.toBeNull();
    expect(doc).toContain('```ts');
  });
});

describe('examples run', () => {
  let dir = '';
  beforeAll(async () => {
    await setBackend('cpu');
    dir = mkdtempSync(join(tmpdir(), 'snnts-optim-examples-'));
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterAll(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(examples())('%s', async (where, code) => {
    const file = join(dir, `${where.replace(/[^a-z0-9]/gi, '_')}.ts`);
    writeFileSync(file, `${code}\nexport {};\n`);
    await import(/* @vite-ignore */ file);
  });
});
