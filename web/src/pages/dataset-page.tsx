/**
 * A dataset: its versions; for the chosen one (`?v=`) the profile with
 * histograms, the validation and leakage results; and a diff between two
 * versions (`?from=&to=`).
 */
import type { DatasetVersion } from '../../../src/data/domain.js';
import type { VersionDiff } from '../../../src/data/data-api.js';
import type { ColumnProfile, TableProfile, ValidationReport } from '../../../src/data/tabular/tabular-engine.js';
import { api } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { Link, useQueryParam } from '../lib/router.js';
import { Empty, Loaded } from '../components/page-state.js';
import { fmtBytes, fmtNumber, fmtTime } from '../lib/format.js';

export function DatasetPage({ name }: { name: string }) {
  const versions = useAsync(async () => (await api().data.listVersions(name)).sort((a, b) => b.version - a.version), [name]);
  const [v, setV] = useQueryParam('v');
  return (
    <section>
      <nav aria-label="Breadcrumb" className="crumbs"><Link to="/data">Datasets</Link> / <span>{name}</span></nav>
      <h1>{name}</h1>
      <Loaded state={versions}>
        {(list) => {
          if (list.length === 0) return <Empty title="No versions yet" code={`cairn data add PATH --name ${name}`} />;
          const chosen = list.find((x) => String(x.version) === v || x.tags.includes(v)) ?? list[0]!;
          return (
            <>
              <table className="grid" aria-label="Versions">
                <thead><tr><th scope="col">Version</th><th scope="col">Tags</th><th scope="col" className="num">Files</th><th scope="col" className="num">Size</th><th scope="col">Message</th><th scope="col">Created</th></tr></thead>
                <tbody>
                  {list.map((x) => (
                    <tr key={x.version} className={x.version === chosen.version ? 'selected' : undefined}>
                      <td><button type="button" className="linkish" aria-pressed={x.version === chosen.version} onClick={() => setV(String(x.version))}>v{x.version}</button></td>
                      <td>{x.tags.map((t) => <span key={t} className="badge alias">{t}</span>)}</td>
                      <td className="num">{x.fileCount}</td>
                      <td className="num">{fmtBytes(x.totalSize)}</td>
                      <td>{x.message ?? ''}</td>
                      <td>{fmtTime(x.createdAt)} by {x.createdBy}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <VersionReports name={name} version={chosen} />
              {list.length > 1 ? <DiffPanel name={name} versions={list} /> : null}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}

function VersionReports({ name, version }: { name: string; version: DatasetVersion }) {
  const ref = String(version.version);
  const reports = useAsync(async () => {
    const [profile, validation, leakage] = await Promise.all(['profile', 'validation', 'leakage'].map((k) => api().data.getReport(name, ref, k as 'profile')));
    return { profile, validation, leakage };
  }, [name, ref]);
  return (
    <div className="version-detail">
      <h2>Version {version.version}</h2>
      <Loaded state={reports}>
        {(r) => (
          <>
            <section aria-labelledby="h-validation" className="card wide">
              <h3 id="h-validation">Validation</h3>
              {r.validation ? <Validation report={r.validation.body as ValidationReport} passed={r.validation.passed} at={r.validation.createdAt} />
                : <p className="muted">Not validated: <code>cairn data validate FILE --contract contract.yaml --record {name}@{version.version}</code></p>}
            </section>
            {r.leakage ? (
              <section className="card wide" aria-labelledby="h-leak">
                <h3 id="h-leak">Leakage check</h3>
                <p><span className={`badge ${r.leakage.passed ? 'approved' : 'rejected'}`}>{r.leakage.passed ? 'no leakage found' : 'leakage found'}</span></p>
                <pre className="code">{JSON.stringify(r.leakage.body, null, 2).slice(0, 4000)}</pre>
              </section>
            ) : null}
            <section aria-labelledby="h-profile">
              <h3 id="h-profile">Profile</h3>
              {r.profile ? <Profile profile={r.profile.body as TableProfile} />
                : <p className="muted">No profile recorded: <code>cairn data profile FILE --record {name}@{version.version}</code></p>}
            </section>
          </>
        )}
      </Loaded>
    </div>
  );
}

function Validation({ report, passed, at }: { report: ValidationReport; passed: boolean | null; at: number }) {
  return (
    <>
      <p><span className={`badge ${passed ? 'approved' : 'rejected'}`}>{passed ? 'passed' : 'failed'}</span> {report.rows.toLocaleString('en')} rows of {report.file}, {fmtTime(at)}</p>
      <table className="grid" aria-label="Validation checks">
        <thead><tr><th scope="col">Check</th><th scope="col">Result</th><th scope="col" className="num">Failures</th><th scope="col">Message</th></tr></thead>
        <tbody>
          {report.checks.map((c) => (
            <tr key={c.name} className={c.passed ? undefined : 'differs'}>
              <td>{c.name}</td><td>{c.passed ? 'pass' : 'FAIL'}</td><td className="num">{c.failures}</td>
              <td>{c.message}{c.examples.length ? <span className="muted"> e.g. {c.examples.slice(0, 3).join(', ')}</span> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Profile({ profile }: { profile: TableProfile }) {
  return (
    <>
      <p>{profile.rows.toLocaleString('en')} rows × {profile.columns.length} columns ({profile.format}, {profile.file})</p>
      <div className="profile-grid">
        {profile.columns.map((c) => <ColumnCard key={c.name} c={c} />)}
      </div>
    </>
  );
}

function ColumnCard({ c }: { c: ColumnProfile }) {
  return (
    <figure className="card column-card">
      <figcaption><strong>{c.name}</strong> <span className="muted">{c.type} ({c.physicalType})</span></figcaption>
      {c.histogram ? <Histogram edges={c.histogram.edges} counts={c.histogram.counts} label={c.name} /> : null}
      {c.topCategories ? <Bars items={c.topCategories.slice(0, 8).map((t) => [t.value, t.count] as const)} label={c.name} /> : null}
      <dl className="stats">
        <dt>missing</dt><dd>{fmtNumber(c.missingPct)}%</dd>
        <dt>distinct</dt><dd>{c.distinct.toLocaleString('en')}</dd>
        {c.min !== null ? <><dt>min</dt><dd>{fmtNumber(c.min)}</dd><dt>max</dt><dd>{fmtNumber(c.max)}</dd></> : null}
        {c.mean !== null ? <><dt>mean</dt><dd>{fmtNumber(c.mean)}</dd></> : null}
        {c.quantiles ? <><dt>p5 / p50 / p95</dt><dd>{[c.quantiles[0], c.quantiles[2], c.quantiles[4]].map((q) => fmtNumber(q ?? null)).join(' / ')}</dd></> : null}
      </dl>
    </figure>
  );
}

function Histogram({ edges, counts, label }: { edges: readonly number[]; counts: readonly number[]; label: string }) {
  const max = Math.max(1, ...counts);
  const W = 240;
  const H = 70;
  const w = W / Math.max(1, counts.length);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="hist" role="img" aria-label={`histogram of ${label} from ${fmtNumber(edges[0] ?? null)} to ${fmtNumber(edges[edges.length - 1] ?? null)}`}>
      {counts.map((n, i) => <rect key={i} x={i * w + 0.5} y={H - (n / max) * H} width={Math.max(1, w - 1)} height={(n / max) * H}><title>{`${fmtNumber(edges[i] ?? null)} – ${fmtNumber(edges[i + 1] ?? null)}: ${n}`}</title></rect>)}
    </svg>
  );
}

function Bars({ items, label }: { items: readonly (readonly [string, number])[]; label: string }) {
  const max = Math.max(1, ...items.map(([, n]) => n));
  return (
    <ul className="bars" aria-label={`top values of ${label}`}>
      {items.map(([v, n]) => <li key={v}><span className="bar" style={{ width: `${(n / max) * 100}%` }} /><span className="bar-label">{v} <span className="muted">{n}</span></span></li>)}
    </ul>
  );
}

function DiffPanel({ name, versions }: { name: string; versions: readonly DatasetVersion[] }) {
  const [from, setFrom] = useQueryParam('from', String(versions[1]?.version ?? 1));
  const [to, setTo] = useQueryParam('to', String(versions[0]?.version ?? 1));
  const diff = useAsync<VersionDiff>(() => api().data.diffVersions(name, from, to), [name, from, to]);
  const pick = (value: string, set: (v: string) => void, label: string) => (
    <label>{label}{' '}<select value={value} onChange={(e) => set(e.target.value)}>{versions.map((v) => <option key={v.version} value={v.version}>v{v.version}</option>)}</select></label>
  );
  return (
    <section className="card wide" aria-labelledby="h-diff">
      <h3 id="h-diff">Compare versions</h3>
      <div className="toolbar">{pick(from, setFrom, 'From')}{pick(to, setTo, 'to')}</div>
      <Loaded state={diff}>
        {(d) => (
          <>
            <p>{d.added.length} added, {d.removed.length} removed, {d.modified.length} modified, {d.unchanged} unchanged</p>
            <ul className="diff-list">
              {d.added.map((e) => <li key={`a-${e.path}`} className="add">+ {e.path} <span className="muted">{fmtBytes(e.size)}</span></li>)}
              {d.removed.map((e) => <li key={`r-${e.path}`} className="del">− {e.path}</li>)}
              {d.modified.map((e) => <li key={`m-${e.path}`} className="mod">~ {e.path} <span className="muted">{fmtBytes(e.before.size)} → {fmtBytes(e.after.size)}</span>{e.tabular ? <span className="muted"> {describeTabular(e.tabular)}</span> : null}</li>)}
            </ul>
          </>
        )}
      </Loaded>
    </section>
  );
}

/** The tabular hook's change summary: row counts and column changes. */
function describeTabular(t: unknown): string {
  if (typeof t !== 'object' || t === null) return String(t);
  const d = t as { rowsA?: number; rowsB?: number; added?: unknown[]; removed?: unknown[]; retyped?: unknown[] };
  const name = (c: unknown) => (typeof c === 'object' && c !== null ? String((c as { name?: unknown }).name ?? JSON.stringify(c)) : String(c));
  const parts = [`rows ${d.rowsA ?? '?'} → ${d.rowsB ?? '?'}`];
  if (d.added?.length) parts.push(`columns added: ${d.added.map(name).join(', ')}`);
  if (d.removed?.length) parts.push(`columns removed: ${d.removed.map(name).join(', ')}`);
  if (d.retyped?.length) parts.push(`retyped: ${d.retyped.map(name).join(', ')}`);
  return parts.join('; ');
}
