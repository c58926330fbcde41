// Minimal static servers for the end-to-end tests (and for checking that dist/ works from
// any static server that sends the isolation headers).
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { basename, extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8',
};

export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/** What web/_headers adds for the embedding entry point (embed.html). */
export const EMBED_HEADERS = { 'Document-Isolation-Policy': 'isolate-and-require-corp' };

/** Serves `root` on 127.0.0.1 (port 0 = any free port). Resolves to { server, url }.
 *  Like web/_headers, embed.html also gets EMBED_HEADERS (unless `embedHeaders` is false). */
export function serveDir(root, { headers = ISOLATION_HEADERS, port = 0, embedHeaders = true } = {}) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    if (!file.startsWith(normalize(root))) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      const extra = embedHeaders && basename(file) === 'embed.html' ? EMBED_HEADERS : {};
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...headers, ...extra });
      res.end(body);
    } catch {
      if (process.env.SERVE_LOG) console.error('404', req.url);
      res.writeHead(404, headers).end('not found');
    }
  });
  return listen(server, port);
}

/** Serves one HTML page — a stand-in for course notes (no isolation headers unless given). */
export function servePage(html, { port = 0, headers = {} } = {}) {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
    res.end(html);
  });
  return listen(server, port);
}

function listen(server, port) {
  return new Promise((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

// `node serve.mjs [dir] [port]`: serve dist/ with the isolation headers.
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? new URL('../dist', import.meta.url).pathname;
  const { url } = await serveDir(dir, { port: Number(process.argv[3] ?? 8080) });
  console.log(`serving ${dir} on ${url}/`);
}
