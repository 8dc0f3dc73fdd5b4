/** Registered models with their versions' stage badges and aliases. */
import type { ModelVersion } from '../../../src/registry/domain.js';
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
    // Every version in a few pages, grouped by model (not one request per model).
    const byModel = new Map<string, ModelVersion[]>();
    let token: string | undefined;
    do {
      const page = await api().registry.searchVersions({ maxResults: 10_000, pageToken: token });
      for (const v of page.items) {
        const list = byModel.get(v.name);
        if (list) list.push(v); else byModel.set(v.name, [v]);
      }
      token = page.nextPageToken ?? undefined;
    } while (token);
    return models.map((m) => ({ m, versions: (byModel.get(m.name) ?? []).sort((a, b) => b.version - a.version) }));
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
