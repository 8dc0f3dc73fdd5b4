/** Every endpoint answers malformed input with a 4xx and a message, and writes nothing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpHarness } from '../../src/testing/tracking-harness.js';

describe('HTTP API bad input', () => {
  let h: Awaited<ReturnType<typeof httpHarness>>;
  let runId: string;
  beforeAll(async () => {
    h = await httpHarness();
    runId = (await h.api.createRun({ experimentName: 'bad-input' })).id;
  });
  afterAll(async () => h.cleanup());

  const send = async (method: string, path: string, body?: string, type = 'application/json') => {
    const res = await fetch(`${h.url}/api/v1${path}`, { method, headers: body === undefined ? {} : { 'content-type': type }, body });
    const json = (await res.json()) as { error_code?: string; message?: string };
    return { status: res.status, ...json };
  };

  const expectUntouched = async () => {
    const run = await h.api.getRun(runId);
    expect(run.params).toEqual({});
    expect(run.metrics).toEqual([]);
    expect(run.tags).toEqual({});
    expect(await h.api.listArtifacts(runId)).toEqual([]);
  };

  it('malformed JSON', async () => {
    const r = await send('POST', `/runs/${runId}/batch`, '{"metrics": [');
    expect(r.status).toBe(400);
    expect(r.error_code).toBe('INVALID_ARGUMENT');
    expect(r.message).toMatch(/JSON/);
    await expectUntouched();
  });

  it('wrong types and unknown fields', async () => {
    for (const body of [
      { metrics: [{ key: 'a', value: 'high' }] },
      { metrics: [{ key: 'a', value: 1, step: 1.5 }] },
      { params: { lr: 0.1 } },
      { metrics: 'nope' },
      { surprise: true },
    ]) {
      const r = await send('POST', `/runs/${runId}/batch`, JSON.stringify(body));
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.error_code).toBe('INVALID_ARGUMENT');
      expect(r.message?.length).toBeGreaterThan(10);
    }
    const bad = await send('POST', '/runs', JSON.stringify({ experimentId: 123, name: ['x'] }));
    expect(bad.status).toBe(400);
    await expectUntouched();
  });

  it('oversized batches and over-long keys and values', async () => {
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, step: i }));
    expect((await send('POST', `/runs/${runId}/batch`, JSON.stringify({ metrics }))).status).toBe(400);
    const params = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, 'v']));
    expect((await send('POST', `/runs/${runId}/batch`, JSON.stringify({ params }))).status).toBe(400);
    const tags = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`t${i}`, 'v']));
    expect((await send('POST', `/runs/${runId}/batch`, JSON.stringify({ tags }))).status).toBe(400);
    expect((await send('POST', `/runs/${runId}/batch`, JSON.stringify({ params: { ['k'.repeat(251)]: 'v' } }))).status).toBe(400);
    expect((await send('POST', `/runs/${runId}/batch`, JSON.stringify({ params: { p: 'v'.repeat(6001) } }))).status).toBe(400);
    expect((await send('POST', `/runs/${runId}/batch`, JSON.stringify({ tags: { t: 'v'.repeat(8001) } }))).status).toBe(400);
    const huge = await send('POST', '/experiments', JSON.stringify({ name: 'x', description: 'd'.repeat(9 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    await expectUntouched();
  });

  it('path traversal in artifact paths', async () => {
    for (const path of ['%2e%2e/%2e%2e/etc/passwd', 'a/%2e%2e/%2e%2e/b', '%2fabs', 'nul%00byte', 'back%5cslash']) {
      const r = await send('PUT', `/runs/${runId}/artifacts/${path}`, 'data', 'application/octet-stream');
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
      expect(r.message, path).toBeTruthy();
    }
    await expectUntouched();
  });

  it('unknown routes and ids', async () => {
    expect((await send('GET', '/nowhere')).status).toBe(404);
    const r = await send('GET', '/runs/does-not-exist');
    expect(r.status).toBe(404);
    expect(r.error_code).toBe('NOT_FOUND');
  });

  it('serves an OpenAPI 3 document built from the same schemas', async () => {
    const res = await fetch(`${h.url}/api/v1/openapi.json`);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string }>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/api/v1/runs/{id}/batch']?.post?.operationId).toBe('logBatch');
    expect(doc.paths['/api/v1/runs/search']?.post?.operationId).toBe('searchRuns');
    expect(doc.paths['/api/v1/logged-models/search']?.post?.operationId).toBe('searchLoggedModels');
    expect(doc.paths['/api/v1/runs/{id}/artifacts/{path}']?.delete?.operationId).toBe('deleteArtifact');
  });
});
