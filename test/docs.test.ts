/**
 * Documentation checks for the library packages (core, functional, nn, optim):
 *
 * 1. every `src/**` `.ts` file starts with a header comment;
 * 2. every public export (what `src/index.ts` re-exports, directly or through `export *`) has a
 *    TSDoc block right before its declaration: with a summary, and for runtime exports (classes,
 *    functions, consts) a ```ts example;
 * 3. every ```ts example in src TSDoc type-checks and runs without throwing, against the sources
 *    (through the `@snnts/*` aliases of vitest.config.ts), on the cpu backend.
 *
 * The runtime exports come from importing each package; the type-only exports from following the
 * `export` statements of its index. The two must agree on the runtime names, so a re-export form
 * the static resolver does not understand fails loudly instead of going unchecked.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBackend } from '@snnts/core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = readdirSync(join(ROOT, 'packages'));
const importPackage = (pkg: string) => import(/* @vite-ignore */ `@snnts/${pkg}`) as Promise<Record<string, unknown>>;

const srcDir = (pkg: string) => join(ROOT, 'packages', pkg, 'src');
const rel = (file: string) => relative(ROOT, file);

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
    });
}

/** Every source file of the four packages, with its text. */
const sources = new Map(PACKAGES.flatMap((pkg) => walk(srcDir(pkg))).map((f) => [f, readFileSync(f, 'utf8')]));
const text = (file: string) => {
  const t = sources.get(file);
  if (t === undefined) throw new Error(`re-export of a file outside src: ${rel(file)}`);
  return t;
};

const RUNTIME_KINDS = ['class', 'function', 'const', 'let', 'enum'];
const TYPE_KINDS = ['interface', 'type'];
const DECL = /^export (?:declare )?(?:async )?(?:abstract )?(class|function|const|let|enum|interface|type) ([A-Za-z_$][\w$]*)/gm;

interface Export {
  /** The file that declares it. */
  file: string;
  /** Whether it exists at runtime (else it is an interface or type alias). */
  runtime: boolean;
  /** Its name in the declaring file (differs from the exported name for `export { a as b }`). */
  local: string;
}

/** The exports of `file`, following `export *` and `export { ... } from`. */
function exportsOf(file: string, seen = new Set<string>()): Map<string, Export> {
  const out = new Map<string, Export>();
  if (seen.has(file)) return out;
  seen.add(file);
  const src = text(file);
  const target = (spec: string) => resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
  for (const m of src.matchAll(DECL)) {
    const [, kind, name] = m as unknown as [string, string, string];
    const runtime = RUNTIME_KINDS.includes(kind);
    // A name declared both as a type and a value (`type X = ...; const X = ...`) is a runtime export.
    if (!out.get(name)?.runtime) out.set(name, { file, runtime, local: name });
  }
  for (const m of src.matchAll(/^export \* from '([^']+)';/gm)) {
    for (const [name, e] of exportsOf(target(m[1]!), seen)) if (!out.has(name)) out.set(name, e);
  }
  for (const m of src.matchAll(/^export (type )?\{([^}]+)\} from '([^']+)';/gm)) {
    const from = exportsOf(target(m[3]!), new Set());
    for (const item of m[2]!.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [orig, alias = orig] = item.replace(/^type /, '').split(/\s+as\s+/) as [string, string?];
      const e = from.get(orig);
      if (!e) throw new Error(`${rel(file)}: cannot resolve re-export of ${orig} from ${m[3]}`);
      out.set(alias!, { ...e, runtime: e.runtime && !m[1] && !item.startsWith('type ') });
    }
  }
  return out;
}

/** The TSDoc block right before the declaration of `e` (without its delimiters), or null. */
function docOf(e: Export): string | null {
  const kinds = (e.runtime ? RUNTIME_KINDS : TYPE_KINDS).join('|');
  const decl = new RegExp(
    `/\\*\\*((?:(?!\\*/)[\\s\\S])*)\\*/\\s*export (?:declare )?(?:async )?(?:abstract )?(?:${kinds}) ${e.local.replace(/\$/g, '\\$')}\\b`,
  );
  const m = decl.exec(text(e.file));
  return m ? m[1]! : null;
}

/** The summary of a TSDoc block: its text before the first block tag. */
function summaryOf(doc: string): string {
  return doc
    .replace(/^\s*\* ?/gm, '')
    .split(/^@\w+/m)[0]!
    .trim();
}

interface Checked {
  pkg: string;
  name: string;
  e: Export;
}

/** Every public export of every package, and the mismatches between runtime and static views. */
const surface: Checked[] = [];
const mismatches: string[] = [];
for (const pkg of PACKAGES) {
  const statically = exportsOf(join(srcDir(pkg), 'index.ts'));
  const runtime = new Set(Object.keys(await importPackage(pkg)));
  for (const name of runtime) {
    const e = statically.get(name);
    if (!e?.runtime) mismatches.push(`@snnts/${pkg}: ${name} is exported at runtime but no declaration of it was found`);
  }
  for (const [name, e] of statically) {
    if (e.runtime && !runtime.has(name)) mismatches.push(`@snnts/${pkg}: ${name} was found in the sources but is not exported at runtime`);
    if (runtime.has(name) || !e.runtime) surface.push({ pkg, name, e });
  }
}

/** Every ```ts block in the TSDoc of src/, with where it came from (path:line). */
const examples: [string, string][] = [];
for (const [file, src] of sources) {
  for (const m of src.matchAll(/\/\*\*(?:(?!\*\/)[\s\S])*?\*\//g)) {
    for (const b of m[0].matchAll(/```ts\n([\s\S]*?)```/g)) {
      const line = src.slice(0, m.index + b.index).split('\n').length;
      examples.push([`${rel(file)}:${line}`, b[1]!.replace(/^[ \t]*\* ?/gm, '')]);
    }
  }
}

/** Where the examples are written: inside the repo (an ignored folder), so module resolution and the aliases apply. */
const TMP_PARENT = join(ROOT, '.vitest');
mkdirSync(TMP_PARENT, { recursive: true });
const dir = mkdtempSync(join(TMP_PARENT, 'docs-examples-'));
const fileOf = (where: string) => join(dir, `${where.replace(/[^a-z0-9]/gi, '_')}.ts`);
for (const [where, code] of examples) writeFileSync(fileOf(where), `${code}\nexport {};\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs', () => {
  it('the four packages have public exports and examples', () => {
    expect(surface.length).toBeGreaterThan(100);
    expect(examples.length).toBeGreaterThan(100);
  });

  it.each([...sources.keys()].map(rel))('%s starts with a header comment', (file) => {
    expect(text(join(ROOT, file)).startsWith('/**')).toBe(true);
  });

  it('the runtime exports and the declarations found in the sources agree', () => {
    expect(mismatches).toEqual([]);
  });

  it.each(surface.map((s) => [`@snnts/${s.pkg}`, s.name, s] as const))('%s %s has TSDoc', (_pkg, name, { e }) => {
    const doc = docOf(e);
    const where = `${name} (${rel(e.file)})`;
    expect(doc, `no TSDoc block right before the declaration of ${where}`).not.toBeNull();
    expect(summaryOf(doc!), `the TSDoc of ${where} has no summary`).not.toBe('');
    if (e.runtime) expect(doc!.includes('```ts'), `the TSDoc of ${where} has no \`\`\`ts example`).toBe(true);
  });
});

describe('examples', () => {
  it('type-check', () => {
    const paths = Object.fromEntries(PACKAGES.map((p) => [`@snnts/${p}`, [join(srcDir(p), 'index.ts')]]));
    const program = ts.createProgram(examples.map(([where]) => fileOf(where)), {
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
      paths,
    });
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName.startsWith(dir))
      .map((d) => {
        const where = examples.find(([w]) => fileOf(w) === d.file!.fileName)![0];
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start!);
        return `${where} (example line ${line + 1}): ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(errors).toEqual([]);
  });

  describe('run', () => {
    beforeAll(() => {
      vi.spyOn(console, 'log').mockImplementation(() => {});
    });
    afterAll(() => {
      vi.restoreAllMocks();
    });
    // Examples may switch backends or seed the generator; each one starts on cpu.
    beforeEach(async () => {
      await setBackend('cpu');
    });

    it.each(examples)('%s', async (where) => {
      await import(/* @vite-ignore */ fileOf(where));
    });
  });
});
