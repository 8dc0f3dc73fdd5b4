/**
 * `--record dataset@version`: where a tabular report is stored, through the
 * `DatasetReports` port that the dataset-versions store implements.
 */
import { InvalidArgument } from '../../core/errors.js';
import type { DatasetReport, DatasetReports, ReportKind } from '../dataset-reports.js';

export interface RecordTarget {
  readonly dataset: string;
  readonly version: string;
}

/** Parses `dataset@version`; both parts non-empty, the version after the last `@`. */
export function parseRecordTarget(text: string): RecordTarget {
  const at = text.lastIndexOf('@');
  const dataset = text.slice(0, at).trim();
  const version = text.slice(at + 1).trim();
  if (at <= 0 || dataset === '' || version === '') {
    throw new InvalidArgument(`--record '${text}' must look like dataset@version, e.g. churn@v3`);
  }
  return { dataset, version };
}

/** Stores `body` as the `kind` report of the target version (replacing an earlier one of that kind). */
export function recordReport(reports: DatasetReports, target: RecordTarget, kind: ReportKind, passed: boolean | null, body: unknown): Promise<DatasetReport> {
  return reports.recordReport(target.dataset, target.version, kind, passed, body);
}
