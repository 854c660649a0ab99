#!/usr/bin/env node
// The `snnts` command (see packages/convert/src/cli/main.ts): runs the built CLI and exits with its code.
import { runCli } from '../dist/cli/main.js';

process.exitCode = await runCli(process.argv.slice(2));
