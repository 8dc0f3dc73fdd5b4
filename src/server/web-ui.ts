/**
 * Serves the web UI (the Vite build in dist/web) from the same server: hashed
 * assets under /assets with long caching, and index.html for every other GET
 * that asks for HTML and is not an API path, so the UI's own routes survive a
 * reload or a shared link. The UI is public; its API calls carry the token.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const PUBLIC = { permission: { role: 'public' as const } };
const API_PATH = /^\/(api|ajax-api)\//;
/** The UI's scripts and styles come only from this server; uPlot sets inline styles. */
const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'";

export interface WebUiOptions {
  /** The folder holding index.html and assets/; when it has no index.html, `/` says how to build it. */
  readonly root: string;
}

/** A not-found fallback: answers index.html for a UI route, or returns false. */
export type UiFallback = (req: FastifyRequest, reply: FastifyReply) => boolean;

/** Registers the UI's routes; returns the fallback the app's not-found handler consults. */
export function registerWebUi(app: FastifyInstance, opts: WebUiOptions): UiFallback {
  const built = existsSync(join(opts.root, 'index.html'));
  if (!built) {
    app.get('/', { config: PUBLIC }, async (_req, reply) =>
      reply.status(503).type('text/plain').send('the Cairn web UI is not built in this installation; run `npm run build` and restart `cairn server` (the API under /api/v1 works without it)\n'));
    return () => false;
  }
  void app.register(fastifyStatic, { root: opts.root, serve: false });
  const html = (reply: FastifyReply) =>
    reply.header('content-security-policy', CSP).header('cache-control', 'no-cache').sendFile('index.html');
  app.get('/', { config: PUBLIC }, async (_req, reply) => html(reply));
  app.get('/assets/*', { config: PUBLIC }, async (req, reply) => {
    const rest = (req.params as { '*': string })['*'];
    return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(join('assets', rest));
  });
  app.get('/favicon.svg', { config: PUBLIC }, async (_req, reply) => reply.sendFile('favicon.svg'));
  return (req, reply) => {
    const wantsHtml = (req.headers.accept ?? '').includes('text/html');
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !wantsHtml || API_PATH.test(req.url)) return false;
    void html(reply);
    return true;
  };
}
