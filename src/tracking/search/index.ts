export { parseFilter } from './filter-parser.js';
export {
  NUMBER_OPS,
  STRING_OPS,
  type Comparison,
  type FilterAst,
  type InComparison,
  type NullCheck,
  type NumberComparison,
  type NumberOp,
  type StringComparison,
  type StringOp,
} from './filter-ast.js';
export { parseOrderBy, type OrderByClause } from './order-by.js';
export {
  DATASET_FIELDS,
  RUN_ATTRIBUTES,
  isDatasetField,
  isRunAttribute,
  type DatasetField,
  type OrderTarget,
  type RunAttribute,
  type SearchTarget,
} from './search-target.js';
export {
  compileRunCount,
  compileRunSearch,
  type CompiledSql,
  type RunSearchQuery,
} from './compile-search.js';
export {
  decodePageToken,
  encodePageToken,
  searchFingerprint,
  type PageToken,
  type SearchIdentity,
} from './page-token.js';
export {
  KEYED_ENTITIES,
  compileEntityOrder,
  compileEntityWhere,
  parseEntityFilter,
  parseEntityOrderBy,
  type EntityClause,
  type EntityOrder,
  type EntitySqlMap,
  type EntityTarget,
  type EntityVocabulary,
  type KeyedEntity,
  type SqlFragment,
} from './entity-filter.js';
export { EXPERIMENT_DEFAULT_ORDER, EXPERIMENT_SQL, EXPERIMENT_VOCABULARY } from './experiment-search.js';
