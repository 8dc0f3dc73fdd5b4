/**
 * The runs table: an ARIA grid whose rows are virtualized (only the visible
 * ones exist, each absolutely positioned with fixed-width cells and CSS
 * containment, so a row entering on scroll lays out alone), sortable headers
 * (the sort is the server's order_by), a checkbox per row for comparison,
 * and keyboard navigation: ↑/↓ (and PageUp/PageDown, Home/End) move, Space
 * selects, Enter opens the run.
 */
import { memo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Run } from '../../../src/tracking/domain.js';
import { cellValue, parseColumn, type ColumnId } from '../lib/run-columns.js';
import { fmtDuration, fmtNumber, fmtTime } from '../lib/format.js';
import { navigate } from '../lib/router.js';
import { StatusBadge } from './page-state.js';

const ROW = 32;
/** Fixed column widths (px). */
const W = { sel: 36, name: 220, status: 110, started: 170, duration: 110, column: 130 };
const cell = (width: number): CSSProperties => ({ width });

export interface SortState { readonly column: string; readonly desc: boolean }

export function RunsTable({ runs, columns, sort, onSort, selected, onToggle }: {
  runs: readonly Run[]; columns: readonly ColumnId[]; sort: SortState | null; onSort(column: string): void;
  selected: ReadonlySet<string>; onToggle(id: string): void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const v = useVirtualizer({ count: runs.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 4, useFlushSync: false });
  const items = v.getVirtualItems();
  const pool = Math.max(64, items.length);
  const width = W.sel + W.name + W.status + W.started + W.duration + columns.length * W.column;
  const focusRow = (i: number) => {
    const n = Math.max(0, Math.min(runs.length - 1, i));
    setActive(n);
    v.scrollToIndex(n, { align: 'auto' });
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-index="${n}"]`)?.focus());
  };
  const onKey = (e: KeyboardEvent) => {
    const page = Math.max(1, Math.floor((scroller.current?.clientHeight ?? 320) / ROW) - 2);
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + page, PageUp: active - page, Home: 0, End: runs.length - 1 };
    const to = moves[e.key];
    if (to !== undefined) { e.preventDefault(); focusRow(to); return; }
    const run = runs[active];
    if (!run) return;
    if (e.key === ' ') { e.preventDefault(); onToggle(run.id); }
    if (e.key === 'Enter') { e.preventDefault(); navigate(`/runs/${encodeURIComponent(run.id)}`); }
  };
  const header = (id: string, label: string, w: number, numeric = false) => {
    const sorted = sort?.column === id;
    return (
      <div key={id} role="columnheader" className={`vcell${numeric ? ' num' : ''}`} style={cell(w)} aria-sort={sorted ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
        <button type="button" className="th-sort" onClick={() => onSort(id)} title={`Sort by ${label}`}>
          {label}{sorted ? (sort.desc ? ' ▼' : ' ▲') : ''}
        </button>
      </div>
    );
  };
  return (
    <div className="table-scroll" ref={scroller} onKeyDown={onKey}>
      <div role="grid" aria-label="Runs" aria-rowcount={runs.length + 1} aria-colcount={5 + columns.length} className="vgrid runs" style={{ width }}>
        <div role="rowgroup" className="vhead">
          <div role="row" aria-rowindex={1} className="vrow">
            <div role="columnheader" className="vcell" style={cell(W.sel)}><span className="sr-only">Select</span></div>
            {header('attributes.run_name', 'Run', W.name)}
            {header('attributes.status', 'Status', W.status)}
            {header('attributes.start_time', 'Started', W.started)}
            <div role="columnheader" className="vcell" style={cell(W.duration)}>Duration</div>
            {columns.map((c) => { const { kind, key } = parseColumn(c); return header(c, `${kind === 'tags' ? '#' : ''}${key}`, W.column, kind === 'metrics'); })}
          </div>
        </div>
        <div role="rowgroup" className="vbody" style={{ height: v.getTotalSize() }}>
          {items.map((it) => {
            const r = runs[it.index]!;
            // Keyed by slot, not by run: a row leaving the window hands its DOM to the one entering, so scrolling updates text instead of creating elements.
            return (
              <RunRow key={it.index % pool} run={r} index={it.index} top={it.start} width={width} columns={columns} selected={selected.has(r.id)}
                active={it.index === active} onToggle={onToggle} onFocusRow={setActive} />
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** One row; memoised so scrolling renders only the rows that enter the window. */
const RunRow = memo(function RunRow({ run: r, index, top, width, columns, selected, active, onToggle, onFocusRow }: {
  run: Run; index: number; top: number; width: number; columns: readonly ColumnId[]; selected: boolean; active: boolean;
  onToggle(id: string): void; onFocusRow(i: number): void;
}) {
  return (
    <div role="row" data-index={index} aria-rowindex={index + 2} tabIndex={active ? 0 : -1} aria-selected={selected}
      className={`vrow${selected ? ' selected' : ''}`} onFocus={() => onFocusRow(index)}
      style={{ transform: `translateY(${top}px)`, width, height: ROW }}>
      <div role="gridcell" className="vcell" style={cell(W.sel)}>
        <input type="checkbox" tabIndex={-1} aria-label={`Select ${r.name}`} checked={selected} onChange={() => onToggle(r.id)} />
      </div>
      <div role="gridcell" className="vcell" style={cell(W.name)}>
        <a href={`/runs/${encodeURIComponent(r.id)}`} tabIndex={-1} onClick={(e) => { e.preventDefault(); navigate(`/runs/${encodeURIComponent(r.id)}`); }}>{r.name}</a>
      </div>
      <div role="gridcell" className="vcell" style={cell(W.status)}><StatusBadge status={r.status} /></div>
      <div role="gridcell" className="vcell" style={cell(W.started)}>{fmtTime(r.startTime)}</div>
      <div role="gridcell" className="vcell" style={cell(W.duration)}>{fmtDuration(r.endTime === null ? null : r.endTime - r.startTime)}</div>
      {columns.map((c) => {
        const x = cellValue(r, c);
        return <div key={c} role="gridcell" className={`vcell${typeof x === 'number' ? ' num' : ''}`} style={cell(W.column)}>{typeof x === 'number' ? fmtNumber(x) : x ?? ''}</div>;
      })}
    </div>
  );
});
