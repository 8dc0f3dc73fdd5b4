/**
 * A uPlot line chart: several series over possibly different x values
 * (aligned with uPlot.join), drag to zoom (double-click resets), hover values
 * in the legend, optional log scale.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  readonly label: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
}

export type XKind = 'step' | 'time' | 'relative';

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];
export const colorOf = (i: number): string => PALETTE[i % PALETTE.length]!;

export function LineChart({ title, series, xKind = 'step', logY = false, height = 260, xLabel, onZoom }: {
  title: string; series: readonly ChartSeries[]; xKind?: XKind; logY?: boolean; height?: number; xLabel?: string;
  /** Called with the x range the user dragged over (chart units), to fetch that range in more detail. */
  onZoom?: (min: number, max: number) => void;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || series.length === 0) return;
    const tables = series.map((s) => [Array.from(s.x), Array.from(s.y)] as uPlot.AlignedData);
    const data = tables.length === 1 ? tables[0]! : uPlot.join(tables as uPlot.AlignedData[]);
    const dark = document.documentElement.dataset.theme === 'dark';
    const axisStroke = dark ? '#d1d5db' : '#374151';
    const grid = { stroke: dark ? '#374151' : '#e5e7eb', width: 1 };
    const opts: uPlot.Options = {
      width: Math.max(el.clientWidth, 200),
      height,
      title,
      scales: { x: { time: xKind === 'time' }, y: logY ? { distr: 3 } : {} },
      axes: [
        { stroke: axisStroke, grid, label: xLabel ?? (xKind === 'step' ? 'step' : xKind === 'time' ? 'wall time' : 'seconds since start') },
        { stroke: axisStroke, grid },
      ],
      cursor: { drag: { x: true, y: false } },
      hooks: onZoom ? {
        setSelect: [(u: uPlot) => {
          if (u.select.width < 3) return;
          onZoom(u.posToVal(u.select.left, 'x'), u.posToVal(u.select.left + u.select.width, 'x'));
        }],
      } : {},
      series: [{ label: xKind === 'step' ? 'step' : 'time' }, ...series.map((s, i) => ({ label: s.label, stroke: colorOf(i), width: 1.5, spanGaps: true, points: { show: s.x.length <= 60, size: 6, fill: colorOf(i) } }))],
    };
    const plot = new uPlot(opts, data, el);
    const ro = new ResizeObserver(() => plot.setSize({ width: Math.max(el.clientWidth, 200), height }));
    ro.observe(el);
    return () => { ro.disconnect(); plot.destroy(); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [series, xKind, logY, height, title, xLabel]);
  return <div className="chart" ref={host} role="img" aria-label={`chart: ${title}`} />;
}

/** Exponential moving average smoothing (as TensorBoard's slider), weight in [0, 1). */
export function smooth(y: readonly number[], weight: number): number[] {
  if (weight <= 0) return Array.from(y);
  const out: number[] = [];
  let last = NaN;
  let debias = 0;
  for (const v of y) {
    if (!Number.isFinite(v)) { out.push(v); continue; }
    last = Number.isNaN(last) ? 0 : last;
    last = last * weight + (1 - weight) * v;
    debias = debias * weight + (1 - weight);
    out.push(last / debias);
  }
  return out;
}
