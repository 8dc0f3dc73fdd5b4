import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerWebUi } from './web-ui.js';
import { installRouteTable } from '../auth/route-guard.js';
import { UI_PAGES } from '../api/ui-pages.js';

let dir: string;
let app: FastifyInstance;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-webui-'));
  await mkdir(join(dir, 'web', 'assets'), { recursive: true });
  await writeFile(join(dir, 'web', 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(join(dir, 'web', 'assets', 'index-abc.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'outside the web root');
  app = Fastify();
  installRouteTable(app);
  registerWebUi(app, { root: join(dir, 'web') });
  await app.ready();
});
afterAll(async () => { await app?.close(); await rm(dir, { recursive: true, force: true }); });

describe('web UI serving', () => {
  it('answers index.html with a strict CSP on every UI page, so links and reloads work', async () => {
    for (const page of UI_PAGES) {
      const r = await app.inject({ method: 'GET', url: page.replace(/:\w+/, 'x%20y') });
      expect(r.statusCode, page).toBe(200);
      expect(r.body).toContain('<div id="root">');
      expect(r.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(r.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets with long caching, and records every UI route as public', async () => {
    const r = await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toMatch(/immutable/);
    const ui = app.cairnRoutes.filter((x) => x.method === 'GET');
    expect(ui.length).toBeGreaterThanOrEqual(UI_PAGES.length + 1);
    expect(ui.every((x) => x.permission.role === 'public')).toBe(true);
  });

  it('refuses paths that climb out of the web root, and unknown pages', async () => {
    for (const url of ['/assets/../../secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const r = await app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(r.body).not.toContain('outside the web root');
    }
    expect((await app.inject({ method: 'GET', url: '/no-such-page' })).statusCode).toBe(404);
  });

  it('says how to build the UI when it is missing', async () => {
    const bare = Fastify();
    installRouteTable(bare);
    registerWebUi(bare, { root: join(dir, 'nothing-here') });
    const r = await bare.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(503);
    expect(r.body).toMatch(/npm run build/);
    await bare.close();
  });
});
