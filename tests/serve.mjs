// Minimal static servers: `./run` serves the release dist/ with it, and the end-to-end tests
// use it, so what is tried and tested is what gets deployed. Headers come from dist/_headers
// (the Netlify / Cloudflare Pages format that web/_headers is written in), so the COOP / COEP /
// CORP for every file and the Document-Isolation-Policy for embed.html are the deployed ones.
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

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

/** Parses a `_headers` file: blocks of a path pattern (no indent) followed by indented
 *  `Name: value` lines; `#` starts a comment. Returns [{ pattern, headers }] in file order. */
export function parseHeaders(text) {
  const rules = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      rules.push({ pattern: line.trim(), headers: {} });
    } else if (rules.length) {
      const i = line.indexOf(':');
      if (i > 0) rules.at(-1).headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
  }
  return rules;
}

/** Whether a `_headers` path pattern matches `path` (`*` matches any run of characters,
 *  `:name` one path segment, as on Netlify and Cloudflare Pages). */
export function matches(pattern, path) {
  const re = pattern.split(/(\*|:[A-Za-z]\w*)/).map((part) => {
    if (part === '*') return '.*';
    if (part.startsWith(':')) return '[^/]+';
    return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }).join('');
  return new RegExp(`^${re}$`).test(path);
}

/** The headers `rules` give `path` (every matching rule applies; later ones win). */
export function headersFor(rules, path) {
  return Object.assign({}, ...rules.filter((r) => matches(r.pattern, path)).map((r) => r.headers));
}

/** Serves `root` on 127.0.0.1 (port 0 = any free port). Resolves to { server, url }.
 *  Headers: `headers` for every response if given (e.g. `{}` for a host that sends none, plus
 *  EMBED_HEADERS on embed.html unless `embedHeaders` is false); otherwise the rules of
 *  `root/_headers` when it exists (what a Netlify-style host does with dist/), else
 *  ISOLATION_HEADERS + EMBED_HEADERS. `/_headers` itself is not served. `inject`: HTML put at
 *  the start of every page's <head> (tests only). */
export function serveDir(root, { headers, port = 0, embedHeaders = true, inject = '' } = {}) {
  const rulesFile = join(root, '_headers');
  const rules = headers === undefined && existsSync(rulesFile)
    ? parseHeaders(readFileSync(rulesFile, 'utf8'))
    : [
      { pattern: '/*', headers: headers ?? ISOLATION_HEADERS },
      ...(embedHeaders ? [{ pattern: '/embed.html', headers: EMBED_HEADERS }] : []),
    ];
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    const served = path.endsWith('/') ? path + 'index.html' : path;
    const base = headersFor(rules, path);
    if (!file.startsWith(normalize(root)) || served === '/_headers') {
      res.writeHead(404, base).end('not found');
      return;
    }
    try {
      let body = await readFile(file);
      // Test hook: `inject` goes first into every page's <head> (the WebKit smoke tests' error
      // catcher, as WebDriver classic cannot add a script at document start).
      if (inject && extname(file) === '.html') body = body.toString('utf8').replace('<head>', `<head>${inject}`);
      res.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        ...base,
        // A directory URL also gets the headers of the index.html it is.
        ...(served !== path ? headersFor(rules, served) : {}),
      });
      res.end(body);
    } catch {
      if (process.env.SERVE_LOG) console.error('404', req.url);
      res.writeHead(404, base).end('not found');
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
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve({ server, url: `http://127.0.0.1:${server.address().port}` });
    });
  });
}

// `node serve.mjs [dir] [port]`: serve dist/ with the headers of its _headers file (what
// `./run` does).
if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2] ?? new URL('../dist', import.meta.url).pathname;
  const port = Number(process.argv[3] ?? 8080);
  try {
    const { url } = await serveDir(dir, { port });
    const source = existsSync(join(dir, '_headers')) ? `the headers in ${join(dir, '_headers')}` : 'the isolation headers';
    console.log(`parlab: serving ${dir} with ${source} on ${url}/ (Ctrl-C to stop)`);
  } catch (e) {
    console.error(`parlab: cannot serve on 127.0.0.1:${port}: ${e.message}`);
    process.exit(1);
  }
}
