/**
 * The runs table: rows virtualized (only the visible ones are in the DOM),
 * sortable headers (the sort is the server's order_by), a checkbox per row
 * for comparison, and keyboard navigation: ↑/↓ (and PageUp/PageDown,
 * Home/End) move, Space selects, Enter opens the run.
 */
import { useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Run } from '../../../src/tracking/domain.js';
import { cellValue, parseColumn, type ColumnId } from '../lib/run-columns.js';
import { fmtDuration, fmtNumber, fmtTime } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { StatusBadge } from './page-state.js';

const ROW = 32;

export interface SortState { readonly column: string; readonly desc: boolean }

export function RunsTable({ runs, columns, sort, onSort, selected, onToggle }: {
  runs: readonly Run[]; columns: readonly ColumnId[]; sort: SortState | null; onSort(column: string): void;
  selected: ReadonlySet<string>; onToggle(id: string): void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const v = useVirtualizer({ count: runs.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 12 });
  const items = v.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = v.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const focusRow = (i: number) => {
    const n = Math.max(0, Math.min(runs.length - 1, i));
    setActive(n);
    v.scrollToIndex(n, { align: 'auto' });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-index="${n}"]`)?.focus());
  };
  const onKey = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 320) / ROW) - 1);
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + page, PageUp: active - page, Home: 0, End: runs.length - 1 };
    const to = moves[e.key];
    if (to !== undefined) { e.preventDefault(); focusRow(to); return; }
    const run = runs[active];
    if (!run) return;
    if (e.key === ' ') { e.preventDefault(); onToggle(run.id); }
    if (e.key === 'Enter') { e.preventDefault(); navigate(`/runs/${encodeURIComponent(run.id)}`); }
  };
  const header = (id: string, label: string, numeric = false) => {
    const sorted = sort?.column === id;
    return (
      <th key={id} scope="col" className={numeric ? 'num' : undefined} aria-sort={sorted ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
        <button type="button" className="th-sort" onClick={() => onSort(id)} title={`Sort by ${label}`}>
          {label}{sorted ? (sort.desc ? ' ▼' : ' ▲') : ''}
        </button>
      </th>
    );
  };
  return (
    <div className="table-scroll" ref={scroller} onKeyDown={onKey}>
      <table className="grid runs" aria-rowcount={runs.length + 1} aria-label="Runs">
        <thead>
          <tr>
            <th scope="col" className="sel"><span className="sr-only">Select</span></th>
            {header('attributes.run_name', 'Run')}
            {header('attributes.status', 'Status')}
            {header('attributes.start_time', 'Started')}
            <th scope="col">Duration</th>
            {columns.map((c) => { const { kind, key } = parseColumn(c); return header(c, `${kind === 'params' ? '' : kind === 'metrics' ? '' : '#'}${key}`, kind === 'metrics'); })}
          </tr>
        </thead>
        <tbody>
          {top > 0 ? <tr aria-hidden="true" style={{ height: top }} /> : null}
          {items.map((it) => {
            const r = runs[it.index]!;
            return (
              <tr key={r.id} data-index={it.index} aria-rowindex={it.index + 2} tabIndex={it.index === active ? 0 : -1}
                className={selected.has(r.id) ? 'selected' : undefined} aria-selected={selected.has(r.id)}
                onFocus={() => setActive(it.index)} style={{ height: ROW }}>
                <td className="sel"><input type="checkbox" tabIndex={-1} aria-label={`Select ${r.name}`} checked={selected.has(r.id)} onChange={() => onToggle(r.id)} /></td>
                <td><a href={`/runs/${encodeURIComponent(r.id)}`} tabIndex={-1} onClick={(e) => { e.preventDefault(); navigate(`/runs/${encodeURIComponent(r.id)}`); }}>{r.name}</a></td>
                <td><StatusBadge status={r.status} /></td>
                <td>{fmtTime(r.startTime)}</td>
                <td>{fmtDuration(r.endTime === null ? null : r.endTime - r.startTime)}</td>
                {columns.map((c) => { const x = cellValue(r, c); return <td key={c} className={typeof x === 'number' ? 'num' : undefined}>{typeof x === 'number' ? fmtNumber(x) : x ?? ''}</td>; })}
              </tr>
            );
          })}
          {bottom > 0 ? <tr aria-hidden="true" style={{ height: bottom }} /> : null}
        </tbody>
      </table>
    </div>
  );
}
