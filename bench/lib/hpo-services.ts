/** In-process HPO services over one database, as a server or `cairn worker` wires them. */
import { join } from 'node:path';
import { LocalBlobStore } from '../../src/artifacts/index.js';
import { SqlTrackingStore } from '../../src/tracking/sql-tracking-store.js';
import { TrackingService } from '../../src/tracking/tracking-service.js';
import { SqlStudyStore } from '../../src/hpo/sql-study-store.js';
import { StudyService } from '../../src/hpo/study-service.js';
import type { Db } from '../../src/storage/db.js';

export function hpoServices(db: Db, dir: string): { hpo: StudyService; store: SqlStudyStore } {
  const tracking = new TrackingService({ store: new SqlTrackingStore(db), blobs: new LocalBlobStore(join(dir, 'artifacts')) });
  const store = new SqlStudyStore(db);
  return { hpo: new StudyService({ store, tracking }), store };
}
