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
