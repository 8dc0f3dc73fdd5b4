export { HttpTrackingClient } from './http-tracking-client.js';
export { HttpStudyClient } from './http-study-client.js';
export { Transport, type TransportOptions } from './transport.js';
export { HttpRegistryClient } from './http-registry-client.js';
export { HttpLoggedModelClient } from './http-logged-model-client.js';
export { HttpDataClient } from './http-data-client.js';
export { HttpRetentionClient } from './http-retention-client.js';
