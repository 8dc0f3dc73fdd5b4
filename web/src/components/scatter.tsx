/** A scatter plot in SVG: one point per run, hover shows its name and values. */
export interface ScatterPoint { readonly id: string; readonly label: string; readonly x: number; readonly y: number }

export function Scatter({ points, xLabel, yLabel, logX = false }: { points: readonly ScatterPoint[]; xLabel: string; yLabel: string; logX?: boolean }) {
  const W = 520;
  const H = 300;
  const pad = 48;
  const tx = (v: number) => (logX && v > 0 ? Math.log10(v) : v);
  const pts = points.filter((p) => Number.isFinite(tx(p.x)) && Number.isFinite(p.y));
  if (pts.length === 0) return <p className="muted">No runs have both {xLabel} and {yLabel}.</p>;
  const xs = pts.map((p) => tx(p.x));
  const ys = pts.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = (v: number) => pad + (x1 === x0 ? 0.5 : (tx(v) - x0) / (x1 - x0)) * (W - 2 * pad);
  const sy = (v: number) => H - pad - (y1 === y0 ? 0.5 : (v - y0) / (y1 - y0)) * (H - 2 * pad);
  const f = (n: number) => String(Number(n.toPrecision(4)));
  return (
    <svg className="scatter" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${yLabel} against ${xLabel}`}>
      <title>{`${yLabel} against ${xLabel}`}</title>
      <line x1={pad} x2={W - pad} y1={H - pad} y2={H - pad} className="pc-axis" />
      <line x1={pad} x2={pad} y1={pad} y2={H - pad} className="pc-axis" />
      <text x={W / 2} y={H - 8} textAnchor="middle" className="pc-label">{xLabel}{logX ? ' (log)' : ''}</text>
      <text x={12} y={H / 2} textAnchor="middle" className="pc-label" transform={`rotate(-90 12 ${H / 2})`}>{yLabel}</text>
      <text x={pad} y={H - pad + 16} className="pc-tick">{f(logX ? 10 ** x0 : x0)}</text>
      <text x={W - pad} y={H - pad + 16} textAnchor="end" className="pc-tick">{f(logX ? 10 ** x1 : x1)}</text>
      <text x={pad - 4} y={H - pad} textAnchor="end" className="pc-tick">{f(y0)}</text>
      <text x={pad - 4} y={pad + 4} textAnchor="end" className="pc-tick">{f(y1)}</text>
      {pts.map((p, i) => <circle key={p.id} cx={sx(p.x)} cy={sy(p.y)} r={5} fill={`hsl(${(i * 47) % 360}, 65%, 45%)`}><title>{`${p.label}: ${xLabel}=${p.x}, ${yLabel}=${p.y}`}</title></circle>)}
    </svg>
  );
}
