/** The run's captured log (logs/output.log): the tail, following while the run is live, with search. */
import { useMemo, useState } from 'react';
import type { Run } from '../../../src/tracking/domain.js';
import { fetchArtifact, isAuthError } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { useQueryParam } from '../lib/router.js';
import { Empty, ErrorBox, Skeleton } from './page-state.js';

const LOG_PATH = 'logs/output.log';

export function RunLog({ run }: { run: Run }) {
  const [q, setQ] = useQueryParam('q');
  const [lines, setLines] = useState(500);
  const live = run.status === 'RUNNING';
  const state = useAsync(async () => {
    try { return await (await fetchArtifact(run.id, LOG_PATH)).text(); } catch (e) { if (isAuthError(e)) throw e; return null; }
  }, [run.id], live ? 3_000 : undefined);
  const all = useMemo(() => (state.data ?? '').split('\n'), [state.data]);
  if (state.error) return <ErrorBox error={state.error} />;
  if (state.data === undefined) return <Skeleton rows={6} label="Loading the log" />;
  if (state.data === null) return <Empty title="No captured log" code={`cairn run -- python train.py   # captures stdout and stderr into ${LOG_PATH}`} />;
  const needle = q.toLowerCase();
  const matching = needle ? all.map((l, i) => [i, l] as const).filter(([, l]) => l.toLowerCase().includes(needle)) : null;
  const shown = matching ?? all.slice(-lines).map((l, i) => [all.length - Math.min(lines, all.length) + i, l] as const);
  return (
    <div>
      <div className="toolbar">
        <label>Search the log{' '}<input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="text to find" /></label>
        {!needle ? <label>Last{' '}
          <select value={lines} onChange={(e) => setLines(Number(e.target.value))}>
            {[100, 500, 2000, 100000].map((n) => <option key={n} value={n}>{n === 100000 ? 'all' : n}</option>)}
          </select> lines</label> : <span>{matching?.length ?? 0} matching lines</span>}
        {live ? <span className="badge status-running">following</span> : null}
      </div>
      <pre className="code log" aria-label="Run log" tabIndex={0}>
        {shown.map(([i, l]) => <span key={i}><span className="ln" aria-hidden="true">{i + 1}</span>{highlight(l, needle)}{'\n'}</span>)}
      </pre>
    </div>
  );
}

function highlight(line: string, needle: string) {
  if (!needle) return line;
  const at = line.toLowerCase().indexOf(needle);
  if (at < 0) return line;
  return <>{line.slice(0, at)}<mark>{line.slice(at, at + needle.length)}</mark>{line.slice(at + needle.length)}</>;
}
