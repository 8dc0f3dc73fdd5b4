/**
 * Parallel coordinates in SVG: one vertical axis per dimension (numbers
 * scaled to their range, categories spread evenly), one polyline per row,
 * coloured by the last dimension (the metric).
 */
export interface PcRow { readonly id: string; readonly label: string; readonly values: Readonly<Record<string, number | string | undefined>> }

export function ParallelCoords({ dims, rows, title }: { dims: readonly string[]; rows: readonly PcRow[]; title: string }) {
  const W = 900;
  const H = 300;
  const pad = 40;
  if (dims.length < 2 || rows.length === 0) return <p className="muted">Not enough data for parallel coordinates: pick at least one parameter and a metric.</p>;
  const scales = dims.map((d) => {
    const vals = rows.map((r) => r.values[d]).filter((v) => v !== undefined);
    const nums = vals.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (nums.length === vals.length && nums.length > 0) {
      const lo = Math.min(...nums);
      const hi = Math.max(...nums);
      return { kind: 'num' as const, lo, hi, at: (v: number | string) => (hi === lo ? 0.5 : ((v as number) - lo) / (hi - lo)) };
    }
    const cats = [...new Set(vals.map(String))].sort();
    return { kind: 'cat' as const, cats, at: (v: number | string) => (cats.length <= 1 ? 0.5 : cats.indexOf(String(v)) / (cats.length - 1)) };
  });
  const x = (i: number) => pad + (i * (W - 2 * pad)) / (dims.length - 1);
  const y = (t: number) => H - pad - t * (H - 2 * pad);
  const last = scales[scales.length - 1]!;
  const colour = (r: PcRow) => {
    const v = r.values[dims[dims.length - 1]!];
    if (v === undefined) return '#9ca3af';
    const t = last.at(v);
    return `hsl(${Math.round(220 - 200 * t)}, 70%, 45%)`;
  };
  return (
    <svg className="pc" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
      <title>{title}</title>
      {rows.map((r) => {
        const pts = dims.map((d, i) => { const v = r.values[d]; return v === undefined ? null : `${x(i)},${y(scales[i]!.at(v))}`; });
        if (pts.some((p) => p === null)) return null;
        return <polyline key={r.id} points={pts.join(' ')} fill="none" stroke={colour(r)} strokeWidth={1.5} opacity={0.75}><title>{r.label}</title></polyline>;
      })}
      {dims.map((d, i) => {
        const s = scales[i]!;
        return (
          <g key={d}>
            <line x1={x(i)} x2={x(i)} y1={y(0)} y2={y(1)} className="pc-axis" />
            <text x={x(i)} y={pad - 18} textAnchor="middle" className="pc-label">{d}</text>
            {s.kind === 'num'
              ? <><text x={x(i) + 4} y={y(1) + 4} className="pc-tick">{fmt(s.hi)}</text><text x={x(i) + 4} y={y(0)} className="pc-tick">{fmt(s.lo)}</text></>
              : s.cats.map((c) => <text key={c} x={x(i) + 4} y={y(s.at(c)) + 4} className="pc-tick">{c}</text>)}
          </g>
        );
      })}
    </svg>
  );
}

const fmt = (n: number) => (Math.abs(n) >= 1e4 || (Math.abs(n) < 1e-2 && n !== 0) ? n.toExponential(2) : String(Number(n.toPrecision(4))));
