/**
 * The registry's "data validation passed" evidence, answered by the data
 * slice: every dataset version a run declares as an input (`cairn run
 * --input`, pointer files) must have a passing validation report
 * (`cairn data validate --record`).
 */
import { NotFound } from '../core/errors.js';
import type { DataValidationResult } from '../registry/gate-evaluation.js';
import type { DataValidationSource } from '../registry/registry-access.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import type { DatasetReports } from './dataset-reports.js';

export class RunDataValidation implements DataValidationSource {
  constructor(private readonly runs: Pick<TrackingApi, 'getRun'>, private readonly reports: DatasetReports) {}

  async resultFor(runId: string | null): Promise<DataValidationResult> {
    if (runId === null) return { status: 'failed', detail: 'the version has no source run, so its data is unknown' };
    const run = await this.runs.getRun(runId);
    const inputs = run.inputs.filter((i) => i.sourceType === 'cairn' && i.digest !== 'unversioned');
    if (inputs.length === 0) {
      return { status: 'failed', detail: `run ${runId} declares no versioned dataset inputs; run it with cairn run --input name@version` };
    }
    const problems: string[] = [];
    for (const i of inputs) {
      let report;
      try {
        report = await this.reports.getReport(i.name, i.digest, 'validation');
      } catch (e) {
        if (!(e instanceof NotFound)) throw e;
        report = null;
      }
      if (report === null) problems.push(`${i.name}@${i.digest} has no validation result (cairn data validate --record ${i.name}@${i.digest})`);
      else if (report.passed !== true) problems.push(`${i.name}@${i.digest} failed validation`);
    }
    return problems.length === 0
      ? { status: 'passed', detail: `validated: ${inputs.map((i) => `${i.name}@${i.digest}`).join(', ')}` }
      : { status: 'failed', detail: problems.join('; ') };
  }
}
