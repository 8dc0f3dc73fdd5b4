/**
 * A run's metric charts. Every chart asks the server for at most ~1,000
 * points (downsampled keeping extremes), and for the dragged range again in
 * full detail when zoomed. Axis, smoothing and log scale are in the URL.
 */
import { useState } from 'react';
import type { Run } from '../../../src/tracking/domain.js';
import { api } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { useQueryParam } from '../lib/router.js';
import { LineChart, smooth, type XKind } from './line-chart.js';
import { ErrorBox, Empty, Skeleton } from './page-state.js';

const POINTS = 1_000;

export function RunCharts({ run }: { run: Run }) {
  const [x, setX] = useQueryParam('x', 'step');
  const [sm, setSm] = useQueryParam('smooth', '0');
  const [log, setLog] = useQueryParam('log', '');
  const keys = run.metrics.map((m) => m.key).sort();
  const user = keys.filter((k) => !k.startsWith('system/'));
  const system = keys.filter((k) => k.startsWith('system/'));
  if (keys.length === 0) return <Empty title="No metrics logged" code={`run.log({ loss: 0.42 }, { step: 1 })   // TypeScript SDK\nmlflow.log_metric("loss", 0.42, step=1)  # Python`} />;
  const xKind = (['step', 'time', 'relative'].includes(x) ? x : 'step') as XKind;
  return (
    <div>
      <div className="toolbar" role="group" aria-label="Chart options">
        <label>X axis{' '}
          <select value={xKind} onChange={(e) => setX(e.target.value)}>
            <option value="step">Step</option><option value="time">Wall time</option><option value="relative">Relative time</option>
          </select>
        </label>
        <label>Smoothing{' '}
          <input type="range" min="0" max="0.99" step="0.01" value={sm} onChange={(e) => setSm(e.target.value)} aria-valuetext={sm} />
          <output>{Number(sm).toFixed(2)}</output>
        </label>
        <label className="check"><input type="checkbox" checked={log === '1'} onChange={(e) => setLog(e.target.checked ? '1' : '')} /> Log scale</label>
        <span className="muted">Drag across a chart to zoom; double-click to reset.</span>
      </div>
      <div className="chart-grid">
        {user.map((k) => <MetricChart key={`${k}-${xKind}`} run={run} metric={k} xKind={xKind} smoothing={Number(sm)} logY={log === '1'} />)}
      </div>
      {system.length > 0 ? (
        <>
          <h2>System metrics</h2>
          <div className="chart-grid">
            {system.map((k) => <MetricChart key={`${k}-${xKind}`} run={run} metric={k} xKind={xKind} smoothing={0} logY={false} />)}
          </div>
        </>
      ) : null}
    </div>
  );
}

/** Loads one metric's (downsampled) history as chart series: x by axis kind, y smoothed. */
export async function loadSeries(runId: string, runStart: number, metric: string, xKind: XKind, range?: readonly [number, number]) {
  const toServer = (v: number) => (xKind === 'step' ? v : xKind === 'time' ? v * 1000 : v * 1000 + runStart);
  const s = await api().tracking.getMetricHistory(runId, metric, {
    maxPoints: POINTS, xAxis: xKind === 'step' ? 'step' : 'timestamp',
    ...(range ? { xMin: Math.floor(toServer(range[0])), xMax: Math.ceil(toServer(range[1])) } : {}),
  });
  const xs = xKind === 'step' ? s.steps : s.timestamps.map((t) => (xKind === 'time' ? t / 1000 : (t - runStart) / 1000));
  // uPlot wants increasing x: sort pairs when wall time is not monotone in step order.
  const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  return { x: order.map((i) => xs[i]!), y: order.map((i) => s.values[i]!) };
}

function MetricChart({ run, metric, xKind, smoothing, logY }: { run: Run; metric: string; xKind: XKind; smoothing: number; logY: boolean }) {
  const [range, setRange] = useState<readonly [number, number] | null>(null);
  const state = useAsync(() => loadSeries(run.id, run.startTime, metric, xKind, range ?? undefined), [run.id, metric, xKind, range, run.metrics.find((m) => m.key === metric)?.step], run.status === 'RUNNING' ? 5_000 : undefined);
  if (state.error) return <ErrorBox error={state.error} retry={state.reload} />;
  if (!state.data) return <Skeleton rows={3} label={`Loading ${metric}`} />;
  const d = state.data;
  const series = [{ label: metric, x: d.x, y: smoothing > 0 ? smooth(d.y, smoothing) : d.y }];
  if (smoothing > 0) series.push({ label: `${metric} (raw)`, x: d.x, y: d.y });
  return (
    <figure className="chart-box" onDoubleClick={() => setRange(null)}>
      <LineChart title={metric} series={series} xKind={xKind} logY={logY} onZoom={(a, b) => setRange([a, b])} />
      <figcaption className="muted">{d.x.length.toLocaleString('en')} points shown{range ? ' (zoomed; double-click to reset)' : ''}</figcaption>
    </figure>
  );
}
