/** The retention and gc route table: registered by the server, called by the client, listed in OpenAPI. */
import type { Endpoint } from './endpoints.js';
import * as R from './retention-schemas.js';

const e = <T extends Endpoint>(x: T): T => x;

export const retentionEndpoints = {
  applyRetention: e({ operationId: 'applyRetention', method: 'POST', path: '/retention/apply', summary: "Keep an experiment's best N runs by a metric and delete the others (soft; dryRun only reports)", body: R.ApplyRetentionBody, response: R.RetentionReport }),
  collectGarbage: e({ operationId: 'collectGarbage', method: 'POST', path: '/gc', summary: "Purge deleted runs' artifact entries and delete blobs nothing refers to (admin; dryRun only reports)", body: R.CollectGarbageBody, response: R.GcReport }),
};
