/** Builds the OpenAPI 3 document from the route table. */
import { API_PREFIX, endpoints, type Endpoint } from './endpoints.js';
import { hpoEndpoints } from './hpo-endpoints.js';
import { retentionEndpoints } from './retention-endpoints.js';
import { ErrorBody } from './schemas.js';
import { registryEndpoints } from './registry-endpoints.js';
import { governanceEndpoints } from './governance-endpoints.js';
import { dataEndpoints } from './data-endpoints.js';

const toOpenApiPath = (p: string) =>
  (API_PREFIX + p).replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{path}');

function parameters(ep: Endpoint) {
  const out: object[] = [];
  const props = (s: unknown) => ((s as { properties?: Record<string, object> }).properties ?? {});
  const required = (s: unknown) => new Set((s as { required?: string[] }).required ?? []);
  if (ep.params) {
    for (const [name, schema] of Object.entries(props(ep.params))) {
      out.push({ name: name === '*' ? 'path' : name, in: 'path', required: true, schema });
    }
  }
  if (ep.query) {
    const req = required(ep.query);
    for (const [name, schema] of Object.entries(props(ep.query))) {
      out.push({ name, in: 'query', required: req.has(name), schema });
    }
  }
  return out;
}

export function buildOpenApi(version: string): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const ep of [...Object.values(endpoints), ...Object.values(registryEndpoints), ...Object.values(governanceEndpoints), ...Object.values(dataEndpoints), ...Object.values(hpoEndpoints), ...Object.values(retentionEndpoints)] as Endpoint[]) {
    const path = toOpenApiPath(ep.path);
    const op: Record<string, unknown> = {
      operationId: ep.operationId,
      summary: ep.summary,
      parameters: parameters(ep),
      responses: {
        200: ep.response === 'bytes'
          ? { description: 'The bytes', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }
          : { description: 'OK', content: { 'application/json': { schema: ep.response } } },
        default: { description: 'An error', content: { 'application/json': { schema: ErrorBody } } },
      },
    };
    if (ep.body) op.requestBody = { required: true, content: { 'application/json': { schema: ep.body } } };
    if (ep.rawBody) op.requestBody = { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
    (paths[path] ??= {})[ep.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Cairn API', version, description: 'Tracking, registry and lifecycle API of Cairn.' },
    paths,
  };
}
