/** Choose which params, metrics and tags are columns of the runs table. */
import { useState } from 'react';
import { columnId, type ColumnId, type ColumnKeys } from '../lib/run-columns.js';

export function ColumnPicker({ keys, columns, onChange }: { keys: ColumnKeys; columns: readonly ColumnId[]; onChange(c: ColumnId[]): void }) {
  const [q, setQ] = useState('');
  const chosen = new Set(columns);
  const toggle = (id: ColumnId) => onChange(chosen.has(id) ? columns.filter((c) => c !== id) : [...columns, id]);
  const section = (kind: 'params' | 'metrics' | 'tags', list: readonly string[]) => {
    const shown = list.filter((k) => k.toLowerCase().includes(q.toLowerCase()));
    if (shown.length === 0) return null;
    return (
      <fieldset key={kind}>
        <legend>{kind}</legend>
        {shown.slice(0, 200).map((k) => {
          const id = columnId(kind, k);
          return <label key={id} className="check"><input type="checkbox" checked={chosen.has(id)} onChange={() => toggle(id)} /> {k}</label>;
        })}
      </fieldset>
    );
  };
  return (
    <details className="picker">
      <summary>Columns ({columns.length})</summary>
      <div className="picker-body">
        <label className="sr-only" htmlFor="col-search">Find a column</label>
        <input id="col-search" type="search" placeholder="Find a column…" value={q} onChange={(e) => setQ(e.target.value)} />
        {section('params', keys.params)}
        {section('metrics', keys.metrics)}
        {section('tags', keys.tags)}
      </div>
    </details>
  );
}
