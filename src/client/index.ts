export { HttpTrackingClient } from './http-tracking-client.js';
export { HttpStudyClient } from './http-study-client.js';
export { Transport, type TransportOptions } from './transport.js';
