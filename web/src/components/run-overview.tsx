/** A run's overview: code and patch, environment, seed, inputs, reproducibility, params, tags and notes. */
import { useState } from 'react';
import type { Run } from '../../../src/tracking/domain.js';
import { api, fetchArtifact, messageOf } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { Link } from '../lib/router.js';
import { fmtNumber } from '../lib/format.js';
import { Markdown } from './markdown.js';
import { DiffView } from './diff-view.js';

const T = {
  commit: 'cairn.git.commit', branch: 'cairn.git.branch', remote: 'cairn.git.remote', dirty: 'cairn.git.dirty',
  command: 'cairn.run.command', cwd: 'cairn.run.cwd', seed: 'cairn.seed', verdict: 'cairn.repro.verdict',
  verdictDetail: 'cairn.repro.detail', reproduces: 'cairn.repro.of', reproRun: 'cairn.repro.run', stderr: 'cairn.run.stderr_tail',
  mlflowCommit: 'mlflow.source.git.commit',
};

interface Manifest {
  command?: string[]; cwd?: string; seed?: string | null; env?: Record<string, string>;
  machine?: Record<string, unknown>; runtimes?: { node: string | null; python: string | null };
  packages?: Record<string, unknown>;
}

async function textArtifact(runId: string, path: string): Promise<string | null> {
  try { return await (await fetchArtifact(runId, path)).text(); } catch { return null; }
}

export function RunOverview({ run, onChanged }: { run: Run; onChanged(): void }) {
  const extras = useAsync(async () => {
    const [manifest, patch] = await Promise.all([textArtifact(run.id, 'cairn/manifest.json'), textArtifact(run.id, 'cairn/patch.diff')]);
    let m: Manifest | null = null;
    try { m = manifest ? JSON.parse(manifest) as Manifest : null; } catch { m = null; }
    return { manifest: m, patch };
  }, [run.id]);
  const t = run.tags;
  const commit = t[T.commit] ?? t[T.mlflowCommit];
  const verdict = t[T.verdict];
  const userTags = Object.entries(t).filter(([k]) => !/^(cairn|mlflow)\./.test(k));
  const systemTags = Object.entries(t).filter(([k]) => /^(cairn|mlflow)\./.test(k));
  return (
    <div className="overview">
      <div className="cards">
        <section className="card" aria-labelledby="h-repro">
          <h2 id="h-repro">Reproducibility</h2>
          {verdict
            ? <p><span className={`badge verdict-${verdict.toLowerCase().replace(/\s+/g, '-')}`}>{verdict}</span> {t[T.verdictDetail] ?? ''}</p>
            : <p className="muted">Not checked yet: <code>cairn repro {run.id}</code></p>}
          {t[T.reproduces] ? <p>Reproduces <Link to={`/runs/${encodeURIComponent(t[T.reproduces]!)}`}>{t[T.reproduces]}</Link></p> : null}
          {t[T.reproRun] ? <p>Reproduced by <Link to={`/runs/${encodeURIComponent(t[T.reproRun]!)}`}>{t[T.reproRun]}</Link></p> : null}
          <dl>
            <dt>Seed</dt><dd>{t[T.seed] ?? extras.data?.manifest?.seed ?? <span className="muted">none recorded</span>}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="h-code">
          <h2 id="h-code">Code</h2>
          <dl>
            <dt>Commit</dt><dd className="mono">{commit ?? <span className="muted">not recorded</span>}</dd>
            {t[T.branch] ? <><dt>Branch</dt><dd>{t[T.branch]}</dd></> : null}
            {t[T.remote] ? <><dt>Remote</dt><dd>{t[T.remote]}</dd></> : null}
            {t[T.command] ? <><dt>Command</dt><dd className="mono">{t[T.command]}</dd></> : null}
            {t[T.cwd] ? <><dt>Folder</dt><dd className="mono">{t[T.cwd]}</dd></> : null}
            <dt>Working tree</dt><dd>{t[T.dirty] === 'true' ? 'uncommitted changes (patch below)' : t[T.dirty] === 'false' ? 'clean' : '—'}</dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="h-inputs">
          <h2 id="h-inputs">Inputs</h2>
          {run.inputs.length === 0 ? <p className="muted">No dataset inputs recorded.</p> : (
            <ul>
              {run.inputs.map((i) => (
                <li key={`${i.name}-${i.digest}`}>
                  {i.sourceType === 'cairn'
                    ? <Link to={`/data/${encodeURIComponent(i.name)}?v=${encodeURIComponent(i.tags.version ?? i.digest)}`}>{i.source}</Link>
                    : <span>{i.name} <span className="muted mono">{i.digest}</span></span>}
                  {' '}<span className="muted">({i.context})</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {run.status === 'FAILED' && t[T.stderr] ? <section><h2>Error output</h2><pre className="code log">{t[T.stderr]}</pre></section> : null}
      <div className="cards">
        <KeyValues title="Parameters" rows={Object.entries(run.params)} />
        <KeyValues title="Latest metrics" rows={run.metrics.map((m) => [m.key, fmtNumber(m.value)] as const)} />
        <KeyValues title="Tags" rows={userTags} />
      </div>
      <Notes run={run} onChanged={onChanged} />
      {extras.data?.patch ? <section><h2>Uncommitted changes</h2><DiffView patch={extras.data.patch} /></section> : null}
      {extras.data?.manifest ? <Environment m={extras.data.manifest} /> : null}
      <details><summary>System tags ({systemTags.length})</summary><KeyValues title="System tags" rows={systemTags} /></details>
    </div>
  );
}

function KeyValues({ title, rows }: { title: string; rows: readonly (readonly [string, string])[] }) {
  return (
    <section className="card">
      <h2>{title}</h2>
      {rows.length === 0 ? <p className="muted">None.</p> : (
        <table className="kv"><tbody>{rows.map(([k, v]) => <tr key={k}><th scope="row">{k}</th><td>{v}</td></tr>)}</tbody></table>
      )}
    </section>
  );
}

function Environment({ m }: { m: Manifest }) {
  const machine = Object.entries(m.machine ?? {}).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)] as const);
  const pk = m.packages ?? {};
  return (
    <section>
      <h2>Environment</h2>
      <div className="cards">
        <KeyValues title="Machine" rows={machine} />
        <KeyValues title="Runtimes" rows={[['node', m.runtimes?.node ?? '—'], ['python', m.runtimes?.python ?? '—']]} />
        <KeyValues title="Environment variables" rows={Object.entries(m.env ?? {})} />
        <KeyValues title="Packages" rows={Object.entries(pk).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as const)} />
      </div>
    </section>
  );
}

function Notes({ run, onChanged }: { run: Run; onChanged(): void }) {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(run.notes ?? '');
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    try {
      await api().tracking.updateRun(run.id, { notes: text });
      setEditing(false);
      setError(null);
      onChanged();
    } catch (e) { setError(messageOf(e)); }
  };
  return (
    <section className="notes" aria-labelledby="h-notes">
      <h2 id="h-notes">Notes</h2>
      {editing ? (
        <>
          <label htmlFor="notes-text" className="sr-only">Notes (markdown)</label>
          <textarea id="notes-text" rows={8} value={text} onChange={(e) => setText(e.target.value)} />
          <div className="row"><button type="button" onClick={save}>Save notes</button><button type="button" onClick={() => { setEditing(false); setText(run.notes ?? ''); }}>Cancel</button></div>
          {text ? <Markdown text={text} /> : null}
        </>
      ) : (
        <>
          {run.notes ? <Markdown text={run.notes} /> : <p className="muted">No notes yet.</p>}
          <button type="button" onClick={() => setEditing(true)}>Edit notes</button>
        </>
      )}
      {error ? <p className="field-error" role="alert">{error}</p> : null}
    </section>
  );
}
