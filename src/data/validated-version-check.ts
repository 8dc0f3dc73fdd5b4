/**
 * The registry's "evaluated on the validated data" check, answered by the data
 * slice: a dataset version a model was evaluated on (`cairn run --eval-input`,
 * a run input with context `evaluation`, or the version tag
 * `cairn.eval.dataset`) must be its dataset's validated version, the newest
 * one whose validation report passed (`cairn data validate --record`).
 */
import { InvalidArgument, NotFound } from '../core/errors.js';
import type { EvaluatedData, EvaluationFlag } from '../registry/lineage.js';
import type { EvaluationDataCheck } from '../registry/registry-access.js';
import type { DataApi } from './data-api.js';
import { validatedVersionMismatch, type UsedVersion } from './domain.js';

export class ValidatedVersionCheck implements EvaluationDataCheck {
  constructor(private readonly data: Pick<DataApi, 'getVersion' | 'validatedVersion'>) {}

  async flagsFor(evaluated: readonly EvaluatedData[]): Promise<EvaluationFlag[]> {
    const validated = new Map<string, string | null>();
    const flags: EvaluationFlag[] = [];
    for (const e of evaluated) {
      if (!validated.has(e.dataset)) {
        const v = await absentAsUndefined(this.data.validatedVersion(e.dataset));
        if (v === undefined) continue; // not a dataset this server holds: nothing to compare with
        validated.set(e.dataset, v === null ? null : String(v));
      }
      // A tag or `vN` ref is compared by the version number it names; a ref naming nothing stays as written.
      const resolved = await absentAsUndefined(this.data.getVersion(e.dataset, e.version));
      const used: UsedVersion = { dataset: e.dataset, version: resolved ? String(resolved.version) : e.version };
      for (const m of validatedVersionMismatch([used], validated)) flags.push({ ...e, message: m.message });
    }
    return flags;
  }
}

async function absentAsUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof NotFound || e instanceof InvalidArgument) return undefined;
    throw e;
  }
}

