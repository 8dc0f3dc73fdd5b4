/** A run: overview (code, environment, seed, inputs, verdict, notes), metric charts, log, artifacts. Tab in the URL. */
import { useEffect, useState } from 'react';
import type { Run } from '../../../src/tracking/domain.js';
import { api } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { Link, useQueryParam } from '../lib/router.js';
import { Loaded, StatusBadge } from '../components/page-state.js';
import { fmtDuration, fmtTime } from '../lib/format.js';
import { RunOverview } from '../components/run-overview.js';
import { RunCharts } from '../components/run-charts.js';
import { RunLog } from '../components/run-log.js';
import { ArtifactBrowser } from '../components/artifact-browser.js';

const TABS = [['overview', 'Overview'], ['metrics', 'Metrics'], ['log', 'Log'], ['artifacts', 'Artifacts']] as const;

export function RunPage({ id }: { id: string }) {
  const [tab, setTab] = useQueryParam('tab', 'overview');
  // Refreshed every 5 s only while the run is live (status, duration, latest metrics); a finished run is read once.
  const [live, setLive] = useState(true);
  const state = useAsync(() => api().tracking.getRun(id), [id], live ? 5_000 : undefined);
  useEffect(() => { if (state.data) setLive(state.data.status === 'RUNNING'); }, [state.data]);
  return (
    <Loaded state={state} rows={6}>
      {(run: Run) => (
        <section className="run">
          <nav aria-label="Breadcrumb" className="crumbs"><Link to={`/experiments/${encodeURIComponent(run.experimentId)}`}>Experiment</Link> / <span>{run.name}</span></nav>
          <div className="page-head">
            <h1>{run.name}</h1>
            <StatusBadge status={run.status} />
            <span className="muted">{fmtTime(run.startTime)} · {run.endTime !== null ? fmtDuration(run.endTime - run.startTime) : `running for ${fmtDuration(Date.now() - run.startTime)}`}</span>
            <span className="muted mono">{run.id}</span>
          </div>
          <div role="tablist" aria-label="Run sections" className="tabs">
            {TABS.map(([k, label]) => (
              <button key={k} type="button" role="tab" id={`tab-${k}`} aria-selected={tab === k} aria-controls={`panel-${k}`} onClick={() => setTab(k)}>{label}</button>
            ))}
          </div>
          <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
            {tab === 'overview' ? <RunOverview run={run} onChanged={state.reload} /> : null}
            {tab === 'metrics' ? <RunCharts run={run} /> : null}
            {tab === 'log' ? <RunLog run={run} /> : null}
            {tab === 'artifacts' ? <ArtifactBrowser runId={run.id} /> : null}
          </div>
        </section>
      )}
    </Loaded>
  );
}
