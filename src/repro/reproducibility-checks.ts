/**
 * `cairn runs check`: the five reproducibility questions, each answered yes
 * or no with the reason, from a run's manifest alone. Pure.
 */
import { machineSummary, MANIFEST_PATH, type RunManifest } from './manifest.js';
import { reproBlockers } from './verdict.js';

export interface CheckAnswer {
  readonly question: string;
  readonly ok: boolean;
  readonly reason: string;
}

export const QUESTIONS = [
  'Can it be rerun from its metadata?',
  'Are its dependencies pinned?',
  'Is its data versioned?',
  'Are its seeds recorded?',
  'Is its hardware documented?',
] as const;

const answer = (i: number, ok: boolean, reason: string): CheckAnswer => ({ question: QUESTIONS[i] ?? '', ok, reason });

/** Answers all five; a run without a manifest gets five reasoned noes. */
export function checkReproducibility(m: RunManifest | null): CheckAnswer[] {
  if (m === null) {
    const why = `no ${MANIFEST_PATH}: the run was not started with 'cairn run'`;
    return QUESTIONS.map((_, i) => answer(i, false, why));
  }
  const blockers = reproBlockers(m);
  const rerun = blockers.length === 0
    ? answer(0, true, `command, commit ${m.git?.commit?.slice(0, 12) ?? ''}${m.git?.dirty ? ' plus the recorded patch' : ''}, params, seed and inputs are recorded`)
    : answer(0, false, blockers.join('; '));

  const sets: string[] = [];
  if (m.packages.python) sets.push(`${m.packages.python.count} Python packages (${m.packages.python.tool})`);
  if (m.packages.node) sets.push(`Node lockfile ${m.packages.node.lockfile}`);
  const deps = sets.length > 0
    ? answer(1, true, `recorded: ${sets.join(' and ')}`)
    : answer(1, false, 'no package set recorded: no Python with pip was found and no Node lockfile (package-lock.json, pnpm-lock.yaml, yarn.lock) is in the working folder or repository root');

  const unversioned = m.inputs.filter((i) => i.version === null).map((i) => i.name);
  const untracked = m.git?.untracked.length ?? 0;
  const ignored = m.git?.ignored?.total ?? 0;
  let data: CheckAnswer;
  if (unversioned.length > 0) data = answer(2, false, `inputs without a version: ${unversioned.join(', ')}`);
  else if (untracked > 0) data = answer(2, false, `${untracked} untracked file(s) in the working folder may be unversioned data`);
  else if (ignored > 0) data = answer(2, false, `${ignored} git-ignored file(s) in the working folder may be unversioned data`);
  else if (m.inputs.length > 0) data = answer(2, true, `inputs ${m.inputs.map((i) => `${i.name}@${i.version ?? ''}`).join(', ')}`);
  else data = answer(2, true, 'no dataset inputs were declared and the working folder had no untracked or git-ignored files');

  const seed = m.seed !== null
    ? answer(3, true, `seed ${m.seed} (exported as CAIRN_SEED and PYTHONHASHSEED)`)
    : answer(3, false, 'no seed: pass --seed to cairn run and seed every generator from CAIRN_SEED');

  const hw = m.machine.cpuModel && m.machine.cpuCores > 0 && m.machine.memoryBytes > 0
    ? answer(4, true, machineSummary(m.machine) + (m.machine.cudaVersion ? `, CUDA ${m.machine.cudaVersion}` : ''))
    : answer(4, false, 'the machine description is incomplete');
  return [rerun, deps, data, seed, hw];
}
