/**
 * An experiment's runs: the first page arrives sorted by the server and is
 * shown at once; the rest stream in behind it. Filter, order, columns,
 * grouping, selection and the saved view all live in the URL.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Run } from '../../../src/tracking/domain.js';
import { api, messageOf } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { href, navigate, useLocation, withQuery } from '../lib/router.js';
import { ErrorBox, Empty, Skeleton } from '../components/page-state.js';
import { FilterInput } from '../components/filter-input.js';
import { RunsTable, type SortState } from '../components/runs-table.js';
import { ColumnPicker } from '../components/column-picker.js';
import { GroupTable } from '../components/group-table.js';
import { SavedViews } from '../components/saved-views.js';
import { collectKeys, defaultColumns, FILTER_WORDS, parseColumn } from '../lib/run-columns.js';

const FIRST_PAGE = 300;
const NEXT_PAGE = 2_500;

export function ExperimentPage({ id }: { id: string }) {
  const { query } = useLocation();
  const filter = query.get('filter') ?? '';
  const order = query.get('order') ?? '';
  const group = query.get('group') ?? '';
  const cols = query.get('cols');
  const sel = query.get('sel') ?? '';
  const selected = useMemo(() => new Set(sel.split(',').filter(Boolean)), [sel]);
  const experiment = useAsync(() => api().tracking.getExperiment(id), [id]);
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // A new experiment starts empty; a new filter or order keeps showing the last runs until its first page arrives (or fails).
  useEffect(() => { setRuns(null); }, [id]);
  useEffect(() => {
    let cancelled = false;
    setDone(false);
    setError(null);
    (async () => {
      const base = { experimentIds: [id], filter: filter || undefined, orderBy: order ? [order] : undefined };
      let page = await api().tracking.searchRuns({ ...base, maxResults: FIRST_PAGE });
      if (cancelled) return;
      let all: Run[] = [...page.items];
      setRuns(all);
      while (page.nextPageToken && !cancelled) {
        page = await api().tracking.searchRuns({ ...base, maxResults: NEXT_PAGE, pageToken: page.nextPageToken });
        if (cancelled) return;
        all = all.concat(page.items);
        setRuns(all);
      }
      if (!cancelled) setDone(true);
    })().catch((e: unknown) => { if (!cancelled) setError(e); });
    return () => { cancelled = true; };
  }, [id, filter, order]);

  const keys = useMemo(() => collectKeys(runs ?? []), [runs]);
  const columns = useMemo(() => (cols === null ? defaultColumns(keys) : cols.split(',').filter(Boolean)), [cols, keys]);
  const suggestions = useMemo(() => [
    ...keys.metrics.map((k) => `metrics.${k}`), ...keys.params.map((k) => `params.${k}`), ...keys.tags.map((k) => `tags.${k}`), ...FILTER_WORDS,
  ], [keys]);
  const sort: SortState | null = order ? { column: order.replace(/\s+(ASC|DESC)$/i, ''), desc: /\sDESC$/i.test(order) } : null;
  const setParam = (changes: Record<string, string | null>) => navigate(withQuery(changes), { replace: true });
  const onSort = (column: string) => setParam({ order: `${column} ${sort?.column === column && !sort.desc ? 'DESC' : 'ASC'}` });
  // Stable across renders (reads the URL when called), so memoised rows don't re-render on every change.
  const toggle = useCallback((runId: string) => {
    const next = new Set((new URLSearchParams(location.search).get('sel') ?? '').split(',').filter(Boolean));
    if (next.has(runId)) next.delete(runId); else next.add(runId);
    navigate(withQuery({ sel: [...next].join(',') }), { replace: true });
  }, []);
  const filterError = error && /filter|order_by|expected|position/i.test(messageOf(error)) ? messageOf(error) : null;
  const groupChoices = [...keys.params.map((k) => `params.${k}`), ...keys.tags.map((k) => `tags.${k}`)];

  return (
    <section className="experiment">
      <div className="page-head">
        <h1>{experiment.data?.name ?? 'Experiment'}</h1>
        <span className="muted" aria-live="polite">
          {runs === null ? (error ? '' : 'loading runs…') : `${runs.length.toLocaleString('en')} runs${done ? '' : error ? ' (not updated: see the error)' : ' (loading…)'}`}
        </span>
      </div>
      {experiment.error ? <ErrorBox error={experiment.error} retry={experiment.reload} /> : null}
      <div className="toolbar">
        <FilterInput key={filter} value={filter} onApply={(v) => setParam({ filter: v })} suggestions={suggestions} error={filterError} />
      </div>
      <div className="toolbar">
        <ColumnPicker keys={keys} columns={columns} onChange={(c) => setParam({ cols: c.join(',') })} />
        <label>Group by{' '}
          <select value={group} onChange={(e) => setParam({ group: e.target.value })}>
            <option value="">(none)</option>
            {groupChoices.map((g) => <option key={g} value={g}>{g}</option>)}
          </select>
        </label>
        <SavedViews experimentId={id} tags={experiment.data?.tags ?? {}} onSaved={experiment.reload} />
        <button type="button" disabled={selected.size < 2} onClick={() => navigate(href('/compare', { runs: [...selected].join(',') }))}>
          Compare {selected.size > 0 ? `(${selected.size})` : ''}
        </button>
        {selected.size > 0 ? <button type="button" onClick={() => setParam({ sel: null })}>Clear selection</button> : null}
      </div>
      {error && !filterError ? <ErrorBox error={error} /> : null}
      {runs === null && !error ? <Skeleton rows={8} label="Loading runs" /> : null}
      {runs !== null && runs.length === 0 ? (filter
        ? <Empty title="No run matches this filter" />
        : <Empty title="No runs in this experiment yet" code={`cairn run --experiment "${experiment.data?.name ?? id}" -- python train.py --lr {lr} --param lr=0.01`}><p>Start one from the CLI, the SDK, or any MLflow script:</p></Empty>) : null}
      {runs !== null && runs.length > 0 && group
        ? <GroupTable runs={runs} by={group} metricColumns={columns.filter((c) => parseColumn(c).kind === 'metrics')} onPick={(v) => setParam({ group: null, filter: `${group} = '${v.replace(/'/g, "\\'")}'` })} />
        : null}
      {runs !== null && runs.length > 0 && !group
        ? <RunsTable runs={runs} columns={columns} sort={sort} onSort={onSort} selected={selected} onToggle={toggle} />
        : null}
    </section>
  );
}
