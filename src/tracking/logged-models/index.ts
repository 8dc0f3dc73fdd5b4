export * from './logged-model.js';
export type { CreateLoggedModelInput, LoggedModelApi, SearchLoggedModelsInput } from './logged-model-api.js';
export type { LoggedModelQuery, LoggedModelStore, NewLoggedModel } from './logged-model-store.js';
export { LoggedModelService, type LoggedModelDeps } from './logged-model-service.js';
export { SqlLoggedModelStore } from './sql-logged-model-store.js';
