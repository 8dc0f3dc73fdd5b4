/** Registered models with their versions' stage badges and aliases. */
import { api } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { Link, useQueryParam } from '../lib/router.js';
import { Empty, Loaded } from '../components/page-state.js';
import { StageBadge } from '../components/stage-badge.js';
import { relTime } from '../lib/format.js';

export function ModelsPage() {
  const [q, setQ] = useQueryParam('q');
  const state = useAsync(async () => {
    const models = (await api().registry.searchModels({ nameLike: q ? `%${q}%` : undefined, orderBy: ['updated DESC'], maxResults: 500 })).items;
    const versions = await Promise.all(models.map((m) => api().registry.searchVersions({ name: m.name, maxResults: 50 }).then((p) => p.items)));
    return models.map((m, i) => ({ m, versions: versions[i] ?? [] }));
  }, [q]);
  return (
    <section>
      <div className="page-head">
        <h1>Models</h1>
        <label className="search"><span className="sr-only">Search models by name</span>
          <input type="search" placeholder="Search models…" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
      </div>
      <Loaded state={state}>
        {(rows) => rows.length === 0
          ? <Empty title={q ? `No model matches “${q}”` : 'No registered models yet'} code={'cairn models register churn --run RUN_ID --format onnx --source runs:/RUN_ID/model.onnx\n# or from Python:\nmlflow.register_model("runs:/RUN_ID/model", "churn")'} />
          : (
            <table className="grid">
              <thead><tr><th scope="col">Model</th><th scope="col">Versions and stages</th><th scope="col">Aliases</th><th scope="col">Updated</th></tr></thead>
              <tbody>
                {rows.map(({ m, versions }) => (
                  <tr key={m.name}>
                    <td><Link to={`/models/${encodeURIComponent(m.name)}`}>{m.name}</Link>{m.description ? <div className="muted">{m.description}</div> : null}</td>
                    <td>{versions.length === 0 ? <span className="muted">no versions</span> : versions.slice(0, 8).map((v) => <span key={v.version} className="vchip">v{v.version} <StageBadge stage={v.stage} /></span>)}</td>
                    <td>{Object.entries(m.aliases).map(([a, v]) => <span key={a} className="badge alias">{a} → v{v}</span>)}</td>
                    <td>{relTime(m.updatedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </Loaded>
    </section>
  );
}
