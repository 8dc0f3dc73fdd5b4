/** Datasets: name, latest version, tags, last change. */
import { api } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { Link } from '../lib/router.js';
import { Empty, Loaded } from '../components/page-state.js';
import { relTime } from '../lib/format.js';

export function DataPage() {
  const state = useAsync(() => api().data.listDatasets(), []);
  return (
    <section>
      <h1>Datasets</h1>
      <Loaded state={state}>
        {(list) => list.length === 0
          ? <Empty title="No datasets yet" code={'cairn data add data/train.csv --name churn\ngit add data/train.csv.cairn && git commit -m "data: churn v1"'}><p>Version a file or folder; the pointer file goes into git:</p></Empty>
          : (
            <table className="grid">
              <thead><tr><th scope="col">Dataset</th><th scope="col" className="num">Latest version</th><th scope="col">Tags</th><th scope="col">Updated</th><th scope="col">Description</th></tr></thead>
              <tbody>
                {list.map((d) => (
                  <tr key={d.name}>
                    <td><Link to={`/data/${encodeURIComponent(d.name)}`}>{d.name}</Link></td>
                    <td className="num">{d.latestVersion || '—'}</td>
                    <td>{Object.entries(d.tags).map(([t, v]) => <span key={t} className="badge alias">{t} → v{v}</span>)}</td>
                    <td>{relTime(d.updatedAt)}</td>
                    <td className="muted">{d.description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </Loaded>
    </section>
  );
}
