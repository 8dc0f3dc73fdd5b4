/** The lineage chain as a graph: code → data → run → version → stages, one box per node with arrows. */
import type { Lineage } from '../../../src/registry/lineage.js';
import { Link } from '../lib/router.js';

export function LineageGraph({ lineage: l }: { lineage: Lineage }) {
  const stages = l.history.map((h) => h.to);
  return (
    <div className="lineage" role="list" aria-label="Lineage: code, data, run, version, stages">
      <Node title="Code">
        <div className="mono">{l.code.commit ? l.code.commit.slice(0, 12) : 'no commit recorded'}</div>
        {l.code.branch ? <div className="muted">{l.code.branch}</div> : null}
        {l.code.repository ? <div className="muted">{l.code.repository}</div> : null}
      </Node>
      <Arrow />
      <Node title="Data">
        {l.data.length === 0 ? <div className="muted">no dataset inputs</div>
          : l.data.map((d) => <div key={`${d.name}-${d.digest}`}><Link to={`/data/${encodeURIComponent(d.name)}`}>{d.source || `${d.name}@${d.digest}`}</Link> <span className="muted">({d.context})</span></div>)}
      </Node>
      <Arrow />
      <Node title="Run">
        {l.run ? <><Link to={`/runs/${encodeURIComponent(l.run.id)}`}>{l.run.name}</Link><div className="muted">seed {l.run.seed ?? 'none'} · {l.run.status}</div></> : <div className="muted">no source run</div>}
      </Node>
      <Arrow />
      <Node title="Version">
        <div>{l.model} v{l.version}</div>
        <div className="muted">{l.artifact.format}{l.artifact.flavor ? ` / ${l.artifact.flavor}` : ''}</div>
      </Node>
      <Arrow />
      <Node title="Stages">
        {stages.length === 0 ? <div className="muted">{l.stage}</div> : <div>{['development', ...stages].join(' → ')}</div>}
      </Node>
    </div>
  );
}

function Node({ title, children }: { title: string; children: React.ReactNode }) {
  return <div className="lnode" role="listitem"><div className="lnode-title">{title}</div>{children}</div>;
}
const Arrow = () => <div className="larrow" aria-hidden="true">→</div>;
