/**
 * Argument parsing for `snnts convert`: `--name value` / `--name=value` options and boolean
 * flags, checked against a table, with typed errors naming the option.
 */
import { ConfigError } from '@snnts/core';

/** One option of the CLI. @internal */
export interface OptionSpec {
  /** `'string'` takes a value, `'flag'` does not. */
  kind: 'string' | 'flag';
  /** One line of help. */
  help: string;
  /** The value's placeholder in the help. */
  value?: string;
}

/** Parsed arguments: positionals and option values by name. @internal */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean>;
}

/** Parses `argv` against `specs`. @internal */
export function parseArgs(argv: readonly string[], specs: Record<string, OptionSpec>, fn: string): ParsedArgs {
  const positionals: string[] = [];
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const [rawName, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const spec = specs[rawName];
    if (!spec) throw new ConfigError(fn, `--${rawName}`, `one of ${Object.keys(specs).map((k) => `--${k}`).join(', ')}`, 'an unknown option');
    if (spec.kind === 'flag') {
      if (inline !== undefined) throw new ConfigError(fn, `--${rawName}`, 'no value (a flag)', `'${inline}'`);
      options[rawName] = true;
    } else {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new ConfigError(fn, `--${rawName}`, `a value (${spec.value ?? 'text'})`, 'nothing');
      options[rawName] = value;
    }
  }
  return { positionals, options };
}

/** A positive integer option, or `dflt`. @internal */
export function intOption(p: ParsedArgs, name: string, dflt: number | undefined, fn: string): number | undefined {
  const v = p.options[name];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(fn, `--${name}`, 'a positive integer', `'${String(v)}'`);
  return n;
}

/** A number option, or `dflt`. @internal */
export function numberOption(p: ParsedArgs, name: string, dflt: number, fn: string): number {
  const v = p.options[name];
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ConfigError(fn, `--${name}`, 'a number', `'${String(v)}'`);
  return n;
}
