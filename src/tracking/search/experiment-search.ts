/** What an experiment search may name, and where those names live in SQL. */
import type { EntityOrder, EntitySqlMap, EntityVocabulary } from './entity-filter.js';

/** MLflow's experiment search attributes: the name, two times (epoch ms), the id for ordering; tags by key. */
export const EXPERIMENT_VOCABULARY: EntityVocabulary = {
  noun: 'experiments',
  attributes: {
    name: { numeric: false },
    creation_time: { numeric: true },
    last_update_time: { numeric: true },
    experiment_id: { numeric: false },
  },
  aliases: { id: 'experiment_id', created: 'creation_time', creation_timestamp: 'creation_time', last_updated_timestamp: 'last_update_time' },
  keyed: ['tag'],
};

/** Columns of `experiments e`. */
export const EXPERIMENT_SQL: EntitySqlMap = {
  columns: { name: 'e.name', creation_time: 'e.created_at', last_update_time: 'e.updated_at', experiment_id: 'e.id' },
  id: 'e.id',
  keyed: { tag: { table: 'experiment_tags', owner: 'experiment_id' } },
};

/** Cairn's listing order when none is asked for: the most recently updated first. */
export const EXPERIMENT_DEFAULT_ORDER: readonly EntityOrder[] = [{ key: 'last_update_time', ascending: false }];
