/** Runs grouped by a param or tag: count and mean (min–max) of each metric column. */
import type { Run } from '../../../src/tracking/domain.js';
import { groupRuns, parseColumn, type ColumnId } from '../lib/run-columns.js';
import { fmtNumber } from '../lib/format.js';

export function GroupTable({ runs, by, metricColumns, onPick }: { runs: readonly Run[]; by: ColumnId; metricColumns: readonly ColumnId[]; onPick(value: string): void }) {
  const rows = groupRuns(runs, by, metricColumns);
  return (
    <table className="grid" aria-label={`Runs grouped by ${by}`}>
      <thead>
        <tr>
          <th scope="col">{by}</th><th scope="col" className="num">Runs</th>
          {metricColumns.map((c) => <th key={c} scope="col" className="num">{parseColumn(c).key} mean (min – max)</th>)}
        </tr>
      </thead>
      <tbody>
        {rows.map((g) => (
          <tr key={g.value}>
            <td><button type="button" className="linkish" onClick={() => onPick(g.value)} title="Show only these runs">{g.value}</button></td>
            <td className="num">{g.count}</td>
            {metricColumns.map((c) => { const s = g.stats[c]; return <td key={c} className="num">{s ? `${fmtNumber(s.mean)} (${fmtNumber(s.min)} – ${fmtNumber(s.max)})` : ''}</td>; })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
