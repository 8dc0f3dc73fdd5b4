/** Home: experiments with run counts and last activity, searchable by name. */
import { api } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { Link, useQueryParam } from '../lib/router.js';
import { Empty, Loaded } from '../components/page-state.js';
import { fmtTime, relTime } from '../lib/format.js';

export function HomePage() {
  const [q, setQ] = useQueryParam('q');
  const state = useAsync(async () => {
    const page = await api().tracking.listExperiments({ nameLike: q ? `%${q}%` : undefined, orderBy: ['last_update_time DESC'], maxResults: 1000 });
    const stats = page.items.length ? await api().tracking.experimentStats(page.items.map((e) => e.id)) : [];
    const byId = new Map(stats.map((s) => [s.experimentId, s]));
    return page.items.map((e) => ({ e, s: byId.get(e.id) }))
      .sort((a, b) => (b.s?.lastActivity ?? b.e.updatedAt) - (a.s?.lastActivity ?? a.e.updatedAt));
  }, [q]);
  return (
    <section>
      <div className="page-head">
        <h1>Experiments</h1>
        <label className="search">
          <span className="sr-only">Search experiments by name</span>
          <input type="search" placeholder="Search experiments…" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
      </div>
      <Loaded state={state}>
        {(rows) => rows.length === 0
          ? (q ? <Empty title={`No experiment matches “${q}”`} /> : <Empty title="No experiments yet" code={`cairn run --experiment quickstart -- python train.py\n# or, from Python:\nimport mlflow; mlflow.set_tracking_uri("${location.origin}")\nmlflow.set_experiment("quickstart")`}>
            <p>Log a first run with the CLI, the SDK or an unchanged MLflow script:</p>
          </Empty>)
          : (
            <table className="grid">
              <thead><tr><th scope="col">Name</th><th scope="col" className="num">Runs</th><th scope="col">Last activity</th><th scope="col">Created</th><th scope="col">Description</th></tr></thead>
              <tbody>
                {rows.map(({ e, s }) => (
                  <tr key={e.id}>
                    <td><Link to={`/experiments/${encodeURIComponent(e.id)}`}>{e.name}</Link></td>
                    <td className="num">{s?.runCount ?? 0}</td>
                    <td title={fmtTime(s?.lastActivity)}>{relTime(s?.lastActivity)}</td>
                    <td>{fmtTime(e.createdAt)}</td>
                    <td className="muted">{e.description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </Loaded>
    </section>
  );
}
