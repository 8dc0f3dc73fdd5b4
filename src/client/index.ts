export { HttpTrackingClient } from './http-tracking-client.js';
export { Transport, type TransportOptions } from './transport.js';
export { HttpRegistryClient } from './http-registry-client.js';
