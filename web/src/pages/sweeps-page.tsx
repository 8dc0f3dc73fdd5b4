/** Hyperparameter studies: objective, sampler, trial counts, best value. */
import { api } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { Link } from '../lib/router.js';
import { Empty, Loaded } from '../components/page-state.js';
import { fmtTime } from '../lib/format.js';

export function SweepsPage() {
  const state = useAsync(() => api().studies.listStudies(), [], 10_000);
  return (
    <section>
      <h1>Sweeps</h1>
      <Loaded state={state}>
        {(list) => list.length === 0
          ? <Empty title="No sweeps yet" code={'cairn sweep --config sweep.yaml --parallel 2 -- python train.py --lr {lr} --layers {layers}'}><p>Run a hyperparameter search; every trial is a tracked run:</p></Empty>
          : (
            <table className="grid">
              <thead><tr><th scope="col">Study</th><th scope="col">Objectives</th><th scope="col">Sampler</th><th scope="col">Pruner</th><th scope="col">Created</th></tr></thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.id}>
                    <td><Link to={`/sweeps/${encodeURIComponent(s.name)}`}>{s.name}</Link></td>
                    <td>{s.metricNames.map((m, i) => `${s.directions[i] === 'maximize' ? '↑' : '↓'} ${m}`).join(', ')}</td>
                    <td>{s.sampler.name}</td>
                    <td>{s.pruner.name}</td>
                    <td>{fmtTime(s.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </Loaded>
    </section>
  );
}
