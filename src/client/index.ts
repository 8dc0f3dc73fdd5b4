export { HttpTrackingClient } from './http-tracking-client.js';
export { Transport, type TransportOptions } from './transport.js';
export { HttpDataClient } from './http-data-client.js';
