export * from './tabular-engine.js';
export * from './contract.js';
export { planValidation, finishValidation, type PlannedCheck, type ValidationPlan, type Measured } from './contract-checks.js';
export { inferContract, renderContract } from './infer-contract.js';
export { diffSchemas, type TableShape } from './diff-schemas.js';
export { NORMALISATION_RULE } from './leakage-rules.js';
export { tabularDiff } from './duckdb/tabular-diff.js';
