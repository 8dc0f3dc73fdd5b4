export { Cairn, type CairnOptions, type StartRunOptions } from './cairn.js';
export { ActiveRun, type FlushPolicy, type LogOptions } from './active-run.js';
export { syncOfflineRuns, type SyncProgress, type SyncResult } from './offline-sync.js';
export { HttpTrackingClient } from '../client/http-tracking-client.js';
export type * from '../tracking/domain.js';
export type * from '../tracking/tracking-api.js';
export { CairnError, NotFound, AlreadyExists, InvalidArgument, InvalidState, Unauthenticated, PermissionDenied } from '../core/errors.js';
