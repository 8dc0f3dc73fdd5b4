/**
 * Compare runs: overlaid metric curves, parallel coordinates from params to a
 * metric, a param-against-metric scatter, and a diff table of params, metrics
 * and tags with differing rows marked. Runs, metric and param are in the URL.
 */
import type { Run } from '../../../src/tracking/domain.js';
import { api } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { Link, useQueryParam } from '../lib/router.js';
import { Empty, ErrorBox, Loaded, Skeleton } from '../components/page-state.js';
import { LineChart } from '../components/line-chart.js';
import { ParallelCoords } from '../components/parallel-coords.js';
import { Scatter } from '../components/scatter.js';
import { loadSeries } from '../components/run-charts.js';
import { fmtNumber } from '../lib/format.js';

const metricOf = (r: Run, k: string) => r.metrics.find((m) => m.key === k)?.value;
const asNumber = (v: string | undefined) => (v === undefined || v.trim() === '' || !Number.isFinite(Number(v)) ? undefined : Number(v));

export function ComparePage() {
  const [ids] = useQueryParam('runs');
  const runIds = ids.split(',').filter(Boolean);
  const state = useAsync(() => Promise.all(runIds.map((id) => api().tracking.getRun(id))), [ids]);
  if (runIds.length < 2) return <Empty title="Pick runs to compare">{<p>Select two or more runs in an experiment's table and press Compare, or open <code>/compare?runs=ID1,ID2</code>.</p>}</Empty>;
  return (
    <section className="compare">
      <h1>Compare {runIds.length} runs</h1>
      <Loaded state={state}>{(runs) => <CompareBody runs={runs} />}</Loaded>
    </section>
  );
}

function CompareBody({ runs }: { runs: readonly Run[] }) {
  const metrics = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))].filter((k) => !k.startsWith('system/')).sort();
  const params = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const [metric, setMetric] = useQueryParam('metric', metrics[0] ?? '');
  const [param, setParam] = useQueryParam('param', params.find((p) => runs.some((r) => asNumber(r.params[p]) !== undefined)) ?? params[0] ?? '');
  const curves = useAsync(() => Promise.all(runs.map(async (r) => ({ label: r.name, ...(await loadSeries(r.id, r.startTime, metric, 'step')) }))), [runs, metric]);
  const pcRows = runs.map((r) => ({
    id: r.id, label: r.name,
    values: Object.fromEntries([...params.map((p) => [p, asNumber(r.params[p]) ?? r.params[p]] as const), [metric, metricOf(r, metric)] as const]),
  }));
  return (
    <>
      <div className="toolbar">
        <label htmlFor="cmp-metric">Metric</label>
        <select id="cmp-metric" value={metric} onChange={(e) => setMetric(e.target.value)}>{metrics.map((m) => <option key={m}>{m}</option>)}</select>
        <label htmlFor="cmp-param">Parameter</label>
        <select id="cmp-param" value={param} onChange={(e) => setParam(e.target.value)}>{params.map((p) => <option key={p}>{p}</option>)}</select>
      </div>
      <div className="cards">
        <section className="card wide" aria-labelledby="h-curves">
          <h2 id="h-curves">{metric} by step</h2>
          {curves.error ? <ErrorBox error={curves.error} /> : curves.data ? <LineChart title={metric} series={curves.data} /> : <Skeleton rows={3} />}
        </section>
        <section className="card" aria-labelledby="h-scatter">
          <h2 id="h-scatter">{metric} against {param}</h2>
          <Scatter xLabel={param} yLabel={metric} points={runs.flatMap((r) => {
            const x = asNumber(r.params[param]);
            const y = metricOf(r, metric);
            return x === undefined || y === undefined ? [] : [{ id: r.id, label: r.name, x, y }];
          })} />
        </section>
      </div>
      <section aria-labelledby="h-pc">
        <h2 id="h-pc">Parallel coordinates: parameters → {metric}</h2>
        <ParallelCoords title={`parameters to ${metric}`} dims={[...params, metric]} rows={pcRows} />
      </section>
      <DiffTable runs={runs} />
    </>
  );
}

function DiffTable({ runs }: { runs: readonly Run[] }) {
  const rows: { section: string; key: string; values: string[] }[] = [];
  const add = (section: string, keys: Iterable<string>, get: (r: Run, k: string) => string | undefined) => {
    for (const k of [...new Set(keys)].sort()) rows.push({ section, key: k, values: runs.map((r) => get(r, k) ?? '') });
  };
  add('param', runs.flatMap((r) => Object.keys(r.params)), (r, k) => r.params[k]);
  add('metric', runs.flatMap((r) => r.metrics.map((m) => m.key)), (r, k) => { const v = metricOf(r, k); return v === undefined ? undefined : fmtNumber(v); });
  add('tag', runs.flatMap((r) => Object.keys(r.tags)).filter((k) => !/^(mlflow|cairn)\./.test(k)), (r, k) => r.tags[k]);
  const differing = rows.filter((r) => new Set(r.values).size > 1).length;
  return (
    <section aria-labelledby="h-diff">
      <h2 id="h-diff">Differences <span className="muted">({differing} of {rows.length} rows differ)</span></h2>
      <div className="table-scroll short">
        <table className="grid diff-table">
          <thead><tr><th scope="col">Kind</th><th scope="col">Key</th>{runs.map((r) => <th key={r.id} scope="col"><Link to={`/runs/${encodeURIComponent(r.id)}`}>{r.name}</Link></th>)}</tr></thead>
          <tbody>
            {rows.map((r) => {
              const differs = new Set(r.values).size > 1;
              return (
                <tr key={`${r.section}.${r.key}`} className={differs ? 'differs' : undefined}>
                  <td>{r.section}</td><th scope="row">{r.key}{differs ? <span className="sr-only"> (differs)</span> : null}</th>
                  {r.values.map((v, i) => <td key={i}>{v}</td>)}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
