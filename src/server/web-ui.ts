/**
 * Serves the web UI (the Vite build in dist/web) from the same server: hashed
 * assets under /assets with long caching, index.html for each of the UI's
 * pages. No second process.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { UI_PAGES } from '../api/ui-pages.js';

const PUBLIC = { permission: { role: 'public' as const } };
/** The UI's scripts and styles come only from this server; uPlot sets inline styles. */
const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface WebUiOptions {
  /** The folder holding index.html and assets/; when it has no index.html, `/` says how to build it. */
  readonly root: string;
}

/** Registers the UI's routes: its pages, hashed assets and icon, all public (the API calls carry the token). */
export function registerWebUi(app: FastifyInstance, opts: WebUiOptions): void {
  const built = existsSync(join(opts.root, 'index.html'));
  if (!built) {
    app.get('/', { config: PUBLIC }, async (_req, reply) =>
      reply.status(503).type('text/plain').send('the Cairn web UI is not built in this installation; run `npm run build` and restart `cairn server` (the API under /api/v1 works without it)\n'));
    return;
  }
  // cacheControl off: each route below sets its own (no-cache for pages, immutable for hashed assets).
  void app.register(fastifyStatic, { root: opts.root, serve: false, cacheControl: false });
  for (const page of UI_PAGES) {
    app.get(page, { config: PUBLIC }, async (_req, reply) =>
      reply.header('content-security-policy', CSP).header('cache-control', 'no-cache').sendFile('index.html'));
  }
  app.get('/assets/*', { config: PUBLIC }, async (req, reply) => {
    const rest = (req.params as { '*': string })['*'];
    return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(join('assets', rest));
  });
  app.get('/favicon.svg', { config: PUBLIC }, async (_req, reply) => reply.sendFile('favicon.svg'));
}
