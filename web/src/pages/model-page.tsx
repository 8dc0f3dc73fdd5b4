/**
 * A registered model: its versions with stage badges; for the chosen version
 * (`?v=` in the URL) the lineage graph, a transition request with each
 * gate's result and approve/reject buttons, the audit history and the card.
 */
import { useState } from 'react';
import type { ModelVersion, Stage } from '../../../src/registry/domain.js';
import { STAGES } from '../../../src/registry/domain.js';
import { api, messageOf } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { Link, useQueryParam } from '../lib/router.js';
import { Empty, ErrorBox, Loaded } from '../components/page-state.js';
import { StageBadge } from '../components/stage-badge.js';
import { LineageGraph } from '../components/lineage-graph.js';
import { Markdown } from '../components/markdown.js';
import { fmtNumber, fmtTime } from '../lib/format.js';
import { useUserNames } from '../lib/user-names.js';

export function ModelPage({ name }: { name: string }) {
  const model = useAsync(() => api().registry.getModel(name), [name]);
  const versions = useAsync(async () => [...(await api().registry.searchVersions({ name, maxResults: 1000 })).items].sort((a, b) => b.version - a.version), [name]);
  const [v, setV] = useQueryParam('v');
  const chosen = versions.data?.find((x) => String(x.version) === v) ?? versions.data?.[0];
  const reload = () => { versions.reload(); model.reload(); };
  const nameOf = useUserNames((versions.data ?? []).map((x) => x.author));
  return (
    <section>
      <nav aria-label="Breadcrumb" className="crumbs"><Link to="/models">Models</Link> / <span>{name}</span></nav>
      <div className="page-head"><h1>{name}</h1>{model.data?.description ? <span className="muted">{model.data.description}</span> : null}</div>
      {model.error ? <ErrorBox error={model.error} retry={model.reload} /> : null}
      <Loaded state={versions}>
        {(list) => list.length === 0 ? <Empty title="No versions yet" code={`cairn models register ${name} --run RUN_ID`} /> : (
          <>
            <table className="grid" aria-label="Versions">
              <thead><tr><th scope="col">Version</th><th scope="col">Stage</th><th scope="col">Aliases</th><th scope="col">Source run</th><th scope="col">Metrics</th><th scope="col">Registered</th></tr></thead>
              <tbody>
                {list.map((x) => (
                  <tr key={x.version} className={x.version === chosen?.version ? 'selected' : undefined}>
                    <td><button type="button" className="linkish" aria-pressed={x.version === chosen?.version} onClick={() => setV(String(x.version))}>v{x.version}</button></td>
                    <td><StageBadge stage={x.stage} /></td>
                    <td>{x.aliases.map((a) => <span key={a} className="badge alias">{a}</span>)}</td>
                    <td>{x.runId ? <Link to={`/runs/${encodeURIComponent(x.runId)}`}>{x.runId.slice(0, 12)}</Link> : '—'}</td>
                    <td className="muted">{Object.entries(x.metrics).slice(0, 4).map(([k, val]) => `${k}=${fmtNumber(val)}`).join(', ')}</td>
                    <td>{fmtTime(x.createdAt)} by {nameOf(x.author)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {chosen ? <VersionDetail key={chosen.version} name={name} version={chosen} onChanged={reload} /> : null}
          </>
        )}
      </Loaded>
    </section>
  );
}

function VersionDetail({ name, version, onChanged }: { name: string; version: ModelVersion; onChanged(): void }) {
  const lineage = useAsync(() => api().registry.lineage(name, version.version), [name, version.version, version.stage]);
  return (
    <div className="version-detail">
      <h2>Version {version.version} <StageBadge stage={version.stage} /></h2>
      <section className="card wide" aria-labelledby="h-lineage">
        <h3 id="h-lineage">Lineage</h3>
        <Loaded state={lineage}>{(l) => <LineageGraph lineage={l} />}</Loaded>
      </section>
      <TransitionPanel name={name} version={version} onChanged={onChanged} />
      <div className="cards">
        <History name={name} version={version.version} stage={version.stage} />
        <Card name={name} version={version.version} />
      </div>
    </div>
  );
}

function TransitionPanel({ name, version, onChanged }: { name: string; version: ModelVersion; onChanged(): void }) {
  const next = STAGES[Math.min(STAGES.indexOf(version.stage) + 1, STAGES.indexOf('production'))] ?? 'production';
  const fallback = version.stage === 'production' ? 'archived' : next;
  const [asked, setTo] = useQueryParam('to', fallback);
  // After a move the version sits in the asked stage: offer the next move instead.
  const to = asked === version.stage ? fallback : asked;
  const [comment, setComment] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const report = useAsync(() => api().registry.checkGates(name, version.version, to as Stage), [name, version.version, to, version.stage]);
  const decisions = useAsync(() => api().registry.listDecisions(name, version.version), [name, version.version]);
  const act = async (what: () => Promise<unknown>, ok: string) => {
    try { await what(); setMsg({ ok: true, text: ok }); report.reload(); decisions.reload(); onChanged(); } catch (e) { setMsg({ ok: false, text: messageOf(e) }); }
  };
  const forTarget = (decisions.data ?? []).filter((d) => d.to === to);
  const nameOf = useUserNames((decisions.data ?? []).map((d) => d.actor));
  return (
    <section className="card wide transition" aria-labelledby="h-transition">
      <h3 id="h-transition">Transition request</h3>
      <div className="toolbar">
        <label>Move v{version.version} from <StageBadge stage={version.stage} /> to{' '}
          <select value={to} onChange={(e) => setTo(e.target.value)}>{STAGES.filter((s) => s !== version.stage).map((s) => <option key={s} value={s}>{s}</option>)}</select>
        </label>
      </div>
      <Loaded state={report}>
        {(r) => (
          <>
            <p>Gates: <strong className={r.passed ? 'pass' : 'fail'}>{r.passed ? 'all pass' : `${r.gates.filter((g) => !g.passed).length} failing`}</strong></p>
            {r.gates.length === 0 ? <p className="muted">This transition has no gates in the model's policy.</p> : (
              <ul className="gates">
                {r.gates.map((g, i) => (
                  <li key={i} className={g.passed ? 'pass' : 'fail'}>
                    <span className="gate-mark" aria-hidden="true">{g.passed ? '✔' : '✘'}</span>
                    <span className="sr-only">{g.passed ? 'passes' : 'fails'}: </span>
                    <strong>{g.gate}</strong> <span className="muted">({g.kind})</span> — {g.reason}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </Loaded>
      <h4>Approvals for {to}</h4>
      {forTarget.length === 0 ? <p className="muted">No decisions yet.</p> : (
        <ul>{forTarget.map((d, i) => <li key={i}><span className={`badge ${d.decision}`}>{d.decision}</span> by {nameOf(d.actor)} {fmtTime(d.at)}{d.comment ? ` — “${d.comment}”` : ''}</li>)}</ul>
      )}
      <div className="row">
        <label htmlFor="decision-comment">Comment</label>
        <input id="decision-comment" value={comment} onChange={(e) => setComment(e.target.value)} placeholder="optional" />
        <button type="button" onClick={() => act(() => api().registry.decide(name, version.version, { to: to as Stage, decision: 'approved', comment: comment || undefined }), `approved v${version.version} for ${to}`)}>Approve</button>
        <button type="button" className="danger" onClick={() => act(() => api().registry.decide(name, version.version, { to: to as Stage, decision: 'rejected', comment: comment || undefined }), `rejected v${version.version} for ${to}`)}>Reject</button>
        <button type="button" className="primary" disabled={!report.data?.passed} onClick={() => act(() => api().registry.transition(name, version.version, { to: to as Stage, reason: comment || undefined }), `moved v${version.version} to ${to}`)}>Move to {to}</button>
      </div>
      {msg ? <p role={msg.ok ? 'status' : 'alert'} className={msg.ok ? 'ok-box' : 'field-error'}>{msg.text}</p> : null}
    </section>
  );
}

function History({ name, version, stage }: { name: string; version: number; stage: string }) {
  const state = useAsync(async () => {
    const [moves, decisions] = await Promise.all([api().registry.history(name, version), api().registry.listDecisions(name, version)]);
    return [
      ...moves.map((m) => ({ at: m.at, who: m.actor, byId: false, what: `${m.kind}: ${m.from} → ${m.to}${m.override ? ' (admin override)' : ''}`, why: m.reason })),
      ...decisions.map((d) => ({ at: d.at, who: d.actor, byId: true, what: `${d.decision} for ${d.to}`, why: d.comment })),
    ].sort((a, b) => b.at - a.at);
  }, [name, version, stage]);
  const nameOf = useUserNames((state.data ?? []).filter((r) => r.byId).map((r) => r.who));
  return (
    <section className="card" aria-labelledby="h-history">
      <h3 id="h-history">Audit history</h3>
      <Loaded state={state}>
        {(rows) => rows.length === 0 ? <p className="muted">No stage changes or decisions yet.</p> : (
          <table className="kv"><tbody>{rows.map((r, i) => <tr key={i}><th scope="row">{fmtTime(r.at)}</th><td>{r.what} — {r.byId ? nameOf(r.who) : r.who}{r.why ? ` (“${r.why}”)` : ''}</td></tr>)}</tbody></table>
        )}
      </Loaded>
    </section>
  );
}

function Card({ name, version }: { name: string; version: number }) {
  const state = useAsync(() => api().registry.getCard(name, version), [name, version]);
  return (
    <section className="card" aria-labelledby="h-card">
      <h3 id="h-card">Model card</h3>
      {state.error ? <p className="muted">No card for this version yet: <code>cairn models card {name} {version} --generate</code></p> : null}
      {state.data ? (
        <>
          {state.data.intendedUse ? <p><strong>Intended use:</strong> {state.data.intendedUse}</p> : null}
          {state.data.limitations ? <p><strong>Limitations:</strong> {state.data.limitations}</p> : null}
          <Markdown text={state.data.markdown} />
        </>
      ) : null}
    </section>
  );
}
