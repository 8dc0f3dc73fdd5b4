/**
 * Population-based training over a study, driven by one process: each
 * member trains in segments, one trial (one Cairn run) per member per
 * generation. After a generation the bottom quantile exploits a top member:
 * its next trial gets the top member's perturbed params (enqueued as fixed
 * params) and starts from its checkpoint, handed over as the artifact
 * `pbt/checkpoint` of the source trial's run. Runs are tagged
 * `cairn.pbt.member`, `cairn.pbt.generation` and `cairn.pbt.parent` (the run
 * whose checkpoint was loaded), so lineage is searchable.
 *
 * @example
 *   await populationBasedTraining({ hpo, tracking, study: 'pbt', population: 8, generations: 10 },
 *     async ({ trial, checkpoint }) => {
 *       const lr = await trial.suggestFloat('lr', 1e-4, 1e-1, { log: true });
 *       const model = checkpoint ? load(checkpoint) : init();
 *       const loss = trainFor(model, lr, 100);
 *       return { value: loss, checkpoint: save(model) };
 *     });
 */
import { InvalidArgument } from '../core/errors.js';
import type { Trial } from '../hpo/domain.js';
import { pbtStep, checkPbtOptions, type PbtOptions } from '../hpo/pbt/pbt-policy.js';
import { SeededRandom } from '../hpo/seeded-random.js';
import type { StudyApi } from '../hpo/study-api.js';
import type { ParamValue } from '../hpo/distributions.js';
import type { TrackingApi } from '../tracking/tracking-api.js';
import { TrialHandle } from './study.js';

export const PBT_CHECKPOINT = 'pbt/checkpoint';
export const PBT_TAGS = { member: 'cairn.pbt.member', generation: 'cairn.pbt.generation', parent: 'cairn.pbt.parent' } as const;

export interface PbtSegment {
  readonly trial: TrialHandle;
  readonly member: number;
  readonly generation: number;
  /** The checkpoint to resume from (own or exploited), null in generation 0. */
  readonly checkpoint: Uint8Array | null;
}

export interface PbtInput extends PbtOptions {
  readonly hpo: StudyApi;
  readonly tracking: TrackingApi;
  /** An existing single-objective study. */
  readonly study: string;
  readonly population: number;
  readonly generations: number;
  readonly seed?: number;
}

async function readAll(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}

/** Runs the population for `generations` segments; returns every segment trial, generation by generation. */
export async function populationBasedTraining(x: PbtInput, segment: (s: PbtSegment) => Promise<{ value: number; checkpoint: Uint8Array }>): Promise<Trial[][]> {
  if (!Number.isInteger(x.population) || x.population < 2) throw new InvalidArgument(`PBT needs a population of at least 2; got ${x.population}`);
  if (!Number.isInteger(x.generations) || x.generations < 1) throw new InvalidArgument(`generations must be >= 1; got ${x.generations}`);
  const opts = checkPbtOptions(x);
  const study = await x.hpo.getStudy(x.study);
  if (study.directions.length !== 1) throw new InvalidArgument('PBT needs a single-objective study');
  const rng = new SeededRandom(x.seed);
  const out: Trial[][] = [];
  // Per member: params for its next segment (null: sample) and the run holding its checkpoint.
  let plan: { params: Record<string, ParamValue> | null; parentRun: string | null }[] = Array.from({ length: x.population }, () => ({ params: null, parentRun: null }));
  for (let g = 0; g < x.generations; g++) {
    // Enqueue-then-ask one member at a time, so each member claims its own fixed params.
    const trials: Trial[] = [];
    for (const [m, p] of plan.entries()) {
      if (p.params) await x.hpo.enqueue(x.study, p.params);
      const t = await x.hpo.ask(x.study, { worker: `pbt:${m}` });
      await x.tracking.logBatch(t.runId as string, { tags: { [PBT_TAGS.member]: String(m), [PBT_TAGS.generation]: String(g), ...(p.parentRun ? { [PBT_TAGS.parent]: p.parentRun } : {}) } });
      trials.push(t);
    }
    const finished = await Promise.all(trials.map(async (t, m) => {
      const parentRun = plan[m]?.parentRun ?? null;
      const checkpoint = parentRun ? await readAll(await x.tracking.openArtifact(parentRun, PBT_CHECKPOINT)) : null;
      const handle = new TrialHandle(x.hpo, x.study, t);
      const r = await segment({ trial: handle, member: m, generation: g, checkpoint });
      await x.tracking.logArtifact(t.runId as string, PBT_CHECKPOINT, r.checkpoint);
      await handle.report(r.value, g);
      return x.hpo.tell(x.study, t.number, { values: [r.value] });
    }));
    out.push(finished);
    const decisions = pbtStep(finished.map((t, m) => ({ member: m, value: (t.values as number[])[0] as number, params: t.params, distributions: t.distributions })),
      study.directions[0] ?? 'minimize', opts, rng);
    plan = decisions.map((d) => ({ params: d.params, parentRun: finished[d.source]?.runId ?? null }));
  }
  return out;
}
