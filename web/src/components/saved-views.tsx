/**
 * Saved views: a view is the query string of the experiment page (filter,
 * order, columns, grouping), stored as an experiment tag `cairn.ui.view.<name>`
 * so every user of the experiment sees it.
 */
import { useState, type FormEvent } from 'react';
import { api, messageOf } from '../lib/api.js';
import { navigate } from '../lib/router.js';

const PREFIX = 'cairn.ui.view.';
const KEPT = ['filter', 'order', 'cols', 'group'];

export function SavedViews({ experimentId, tags, onSaved }: { experimentId: string; tags: Readonly<Record<string, string>>; onSaved(): void }) {
  const views = Object.entries(tags).filter(([k]) => k.startsWith(PREFIX)).map(([k, v]) => [k.slice(PREFIX.length), v] as const);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const open = (q: string) => navigate(`/experiments/${encodeURIComponent(experimentId)}${q ? `?${q}` : ''}`);
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const cur = new URLSearchParams(location.search);
    const q = new URLSearchParams();
    for (const k of KEPT) { const v = cur.get(k); if (v !== null) q.set(k, v); }
    try {
      await api().tracking.setExperimentTag(experimentId, `${PREFIX}${name.trim()}`, q.toString());
      setNaming(false);
      setName('');
      setError(null);
      onSaved();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <span className="views">
      <label>View{' '}
        <select value="" onChange={(e) => { if (e.target.value !== '') open(views[Number(e.target.value)]![1]); }}>
          <option value="">{views.length ? 'Open a saved view…' : 'No saved views'}</option>
          {views.map(([n], i) => <option key={n} value={i}>{n}</option>)}
        </select>
      </label>
      {naming ? (
        <form onSubmit={save} className="inline-form">
          <label className="sr-only" htmlFor="view-name">View name</label>
          <input id="view-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="view name" required pattern="[\w .\-]{1,100}" />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setNaming(false)}>Cancel</button>
        </form>
      ) : <button type="button" onClick={() => setNaming(true)}>Save view</button>}
      {error ? <span className="field-error" role="alert">{error}</span> : null}
    </span>
  );
}
