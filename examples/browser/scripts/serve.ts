/**
 * Builds the page and serves it on http://127.0.0.1:8080 (or `PORT`) for a person to try:
 * `pnpm --filter @snnts/example-browser serve`, then open the printed address in a browser with
 * WebGPU or WebGL.
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { DIST_DIR, buildExample } from './build.js';

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json' };

await buildExample();
const port = Number(process.env['PORT'] ?? 8080);
createServer((req, res) => {
  const rel = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^[/\\]+/, '') || 'index.html';
  const file = join(DIST_DIR, rel);
  if (rel.startsWith('..') || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}).listen(port, '127.0.0.1', () => process.stdout.write(`serving http://127.0.0.1:${port}/\n`));
