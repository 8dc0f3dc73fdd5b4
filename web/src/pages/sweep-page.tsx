/**
 * One study, live while it runs (refreshed every few seconds): optimisation
 * history, parameter importances, parallel coordinates and the best trials.
 */
import type { StudyReport } from '../../../src/hpo/study-api.js';
import { api } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { Link } from '../lib/router.js';
import { Empty, Loaded } from '../components/page-state.js';
import { LineChart } from '../components/line-chart.js';
import { ParallelCoords } from '../components/parallel-coords.js';
import { fmtNumber } from '../lib/format.js';

const LIVE_MS = 3_000;

export function SweepPage({ name }: { name: string }) {
  const state = useAsync(() => api().studies.studyReport(name), [name], LIVE_MS);
  return (
    <section>
      <nav aria-label="Breadcrumb" className="crumbs"><Link to="/sweeps">Sweeps</Link> / <span>{name}</span></nav>
      <h1>{name}</h1>
      <Loaded state={state}>{(r) => <Report r={r} />}</Loaded>
    </section>
  );
}

function Report({ r }: { r: StudyReport }) {
  const s = r.study;
  const running = (r.counts.RUNNING ?? 0) + (r.counts.WAITING ?? 0);
  const objective = s.metricNames[0] ?? 'value';
  const pc = r.parallelCoordinates;
  return (
    <>
      <p className="counts" aria-live="polite">
        {Object.entries(r.counts).filter(([, n]) => n > 0).map(([k, n]) => <span key={k} className={`badge trial-${k.toLowerCase()}`}>{k} {n}</span>)}
        {running > 0 ? <span className="muted"> live: refreshing every {LIVE_MS / 1000} s</span> : null}
        {' '}<Link to={`/experiments/${encodeURIComponent(s.experimentId)}?filter=${encodeURIComponent(`tags.\`cairn.study\` = '${s.name}'`)}`}>trials as runs</Link>
      </p>
      {r.history.length === 0 ? <Empty title="No completed trial yet" code={`cairn worker --study ${s.name} -- python train.py`} /> : (
        <div className="cards">
          <section className="card wide" aria-labelledby="h-hist">
            <h2 id="h-hist">Optimisation history ({s.directions[0] === 'maximize' ? 'maximise' : 'minimise'} {objective})</h2>
            <LineChart title={objective} xLabel="trial" series={[
              { label: objective, x: r.history.map((h) => h.number), y: r.history.map((h) => h.value) },
              { label: `best ${objective}`, x: r.history.map((h) => h.number), y: r.history.map((h) => h.best) },
            ]} />
          </section>
          <section className="card" aria-labelledby="h-imp">
            <h2 id="h-imp">Parameter importances</h2>
            {r.importances ? <Importances values={r.importances} /> : <p className="muted">Not enough completed trials to estimate importances yet.</p>}
          </section>
          <section className="card" aria-labelledby="h-best">
            <h2 id="h-best">Best trial{r.best.length > 1 ? 's (Pareto front)' : ''}</h2>
            <table className="grid">
              <thead><tr><th scope="col">Trial</th><th scope="col">{s.metricNames.join(', ')}</th><th scope="col">Params</th></tr></thead>
              <tbody>
                {r.best.slice(0, 20).map((t) => (
                  <tr key={t.number}>
                    <td>{t.runId ? <Link to={`/runs/${encodeURIComponent(t.runId)}`}>#{t.number}</Link> : `#${t.number}`}</td>
                    <td className="num">{(t.values ?? []).map((v) => fmtNumber(v)).join(', ')}</td>
                    <td className="mono">{Object.entries(t.params).map(([k, v]) => `${k}=${typeof v === 'number' ? fmtNumber(v) : String(v)}`).join(' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>
      )}
      {pc.rows.length > 0 ? (
        <section aria-labelledby="h-pc">
          <h2 id="h-pc">Parallel coordinates</h2>
          <ParallelCoords title={`parameters to ${objective}`} dims={[...pc.params, ...pc.objectives.slice(0, 1)]} rows={pc.rows.map((row) => ({
            id: String(row.number), label: `trial ${row.number}`,
            values: Object.fromEntries([...pc.params.map((p, i) => [p, paramCell(row.params[i])] as const), [pc.objectives[0]!, row.values[0]] as const]),
          }))} />
        </section>
      ) : null}
    </>
  );
}

const paramCell = (v: unknown): number | string | undefined => (v === null || v === undefined ? undefined : typeof v === 'number' ? v : String(v));

function Importances({ values }: { values: Readonly<Record<string, number>> }) {
  const rows = Object.entries(values).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1e-12, ...rows.map(([, v]) => v));
  return (
    <ul className="bars" aria-label="parameter importances">
      {rows.map(([k, v]) => <li key={k}><span className="bar" style={{ width: `${(v / max) * 100}%` }} /><span className="bar-label">{k} <span className="muted">{fmtNumber(v)}</span></span></li>)}
    </ul>
  );
}
