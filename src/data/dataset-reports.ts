/**
 * Reports attached to a dataset version: its profile (the monitoring
 * reference later), contract-validation results (a registry gate) and
 * leakage checks. The versions store implements this port; the tabular
 * engines (profile, validate, check-leakage) record through it.
 *
 * Contract: a report is stored per (dataset, version, kind); recording the
 * same kind again replaces it (the audit trail keeps history). Unknown
 * dataset or version → NotFound.
 */
export const REPORT_KINDS = ['profile', 'validation', 'leakage'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const isReportKind = (v: unknown): v is ReportKind =>
  typeof v === 'string' && (REPORT_KINDS as readonly string[]).includes(v);

export interface DatasetReport {
  readonly dataset: string;
  readonly version: string;
  readonly kind: ReportKind;
  /** For validation: whether every check passed. Null for kinds without a verdict. */
  readonly passed: boolean | null;
  /** The report itself, JSON. */
  readonly body: unknown;
  readonly createdAt: number;
}

export interface DatasetReports {
  recordReport(dataset: string, version: string, kind: ReportKind, passed: boolean | null, body: unknown): Promise<DatasetReport>;
  getReport(dataset: string, version: string, kind: ReportKind): Promise<DatasetReport | null>;
}
