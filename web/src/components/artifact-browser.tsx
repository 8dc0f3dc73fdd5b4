/** Browse a run's artifacts by folder; preview text, images, CSV (as a table) and JSON; download any file. */
import { useEffect, useState } from 'react';
import { api, fetchArtifact, messageOf, saveBlob } from '../lib/api.js';
import { useAsync } from '../lib/use-async.js';
import { useQueryParam } from '../lib/router.js';
import { fmtBytes } from '../lib/format.js';
import { Empty, Loaded } from './page-state.js';

const PREVIEW_LIMIT = 2 * 1024 * 1024;
const IMAGE = /\.(png|jpe?g|gif|webp|svg|bmp)$/i;
const TEXT = /\.(txt|log|md|py|ts|js|yaml|yml|toml|cfg|ini|diff|patch|sh|json|csv|tsv|html|xml|mlmodel|MLmodel)$|(^|\/)[^.]+$/i;

export function ArtifactBrowser({ runId }: { runId: string }) {
  const [dir, setDir] = useQueryParam('dir');
  const [file, setFile] = useQueryParam('file');
  const list = useAsync(() => api().tracking.listArtifacts(runId, dir || undefined), [runId, dir]);
  const parts = dir ? dir.split('/') : [];
  return (
    <div className="artifacts">
      <div className="artifact-list">
        <nav aria-label="Artifact folders" className="crumbs">
          <button type="button" className="linkish" onClick={() => { setDir(''); }}>artifacts</button>
          {parts.map((p, i) => <span key={i}> / <button type="button" className="linkish" onClick={() => setDir(parts.slice(0, i + 1).join('/'))}>{p}</button></span>)}
        </nav>
        <Loaded state={list}>
          {(items) => items.length === 0
            ? <Empty title="No artifacts here" code={`run.logArtifact('model.onnx', bytes)   // SDK\nmlflow.log_artifact("model.pkl")        # Python`} />
            : (
              <ul className="files">
                {items.map((a) => (
                  <li key={a.path}>
                    {a.isDir
                      ? <button type="button" className="linkish" onClick={() => { setDir(a.path); }}>📁 {a.path.split('/').pop()}/</button>
                      : <button type="button" className="linkish" aria-current={file === a.path ? 'true' : undefined} onClick={() => setFile(a.path)}>{a.path.split('/').pop()}</button>}
                    {!a.isDir ? <span className="muted"> {fmtBytes(a.size)}</span> : null}
                  </li>
                ))}
              </ul>
            )}
        </Loaded>
      </div>
      <div className="artifact-preview">
        {file ? <Preview runId={runId} path={file} /> : <p className="muted">Pick a file to preview or download it.</p>}
      </div>
    </div>
  );
}

function Preview({ runId, path }: { runId: string; path: string }) {
  const [error, setError] = useState<string | null>(null);
  const state = useAsync(async () => {
    const blob = await fetchArtifact(runId, path);
    if (IMAGE.test(path)) return { kind: 'image' as const, blob, url: URL.createObjectURL(blob.type ? blob : new Blob([blob], { type: path.endsWith('.svg') ? 'image/svg+xml' : '' })) };
    if (blob.size > PREVIEW_LIMIT || !TEXT.test(path)) return { kind: 'none' as const, blob };
    return { kind: 'text' as const, blob, text: await blob.text() };
  }, [runId, path]);
  useEffect(() => () => { if (state.data?.kind === 'image') URL.revokeObjectURL(state.data.url); }, [state.data]);
  const name = path.split('/').pop() ?? 'artifact';
  return (
    <section aria-label={`Preview of ${path}`}>
      <div className="row">
        <h2 className="mono">{path}</h2>
        <button type="button" onClick={() => { fetchArtifact(runId, path).then((b) => saveBlob(b, name), (e: unknown) => setError(messageOf(e))); }}>Download</button>
      </div>
      {error ? <p className="field-error" role="alert">{error}</p> : null}
      <Loaded state={state}>
        {(d) => {
          if (d.kind === 'image') return <img src={d.url} alt={path} className="preview-img" />;
          if (d.kind === 'none') return <p className="muted">No preview for this file type ({fmtBytes(d.blob.size)}); download it instead.</p>;
          if (/\.(csv|tsv)$/i.test(path)) return <CsvTable text={d.text} sep={path.endsWith('.tsv') ? '\t' : ','} />;
          if (/\.json$/i.test(path)) return <pre className="code">{prettyJson(d.text)}</pre>;
          return <pre className="code">{d.text}</pre>;
        }}
      </Loaded>
    </section>
  );
}

const prettyJson = (t: string) => { try { return JSON.stringify(JSON.parse(t), null, 2); } catch { return t; } };

/** Splits CSV with quoted fields; shows the first 500 rows. */
export function parseCsv(text: string, sep = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { row.push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell); rows.push(row); row = []; cell = '';
      if (rows.length > 500) return rows;
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

function CsvTable({ text, sep }: { text: string; sep: string }) {
  const [head, ...body] = parseCsv(text, sep);
  if (!head) return <p className="muted">Empty file.</p>;
  return (
    <div className="table-scroll short">
      <table className="grid" aria-label="CSV preview">
        <thead><tr>{head.map((h, i) => <th key={i} scope="col">{h}</th>)}</tr></thead>
        <tbody>{body.slice(0, 500).map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j}>{c}</td>)}</tr>)}</tbody>
      </table>
    </div>
  );
}
