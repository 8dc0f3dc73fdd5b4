/** A unified diff, file by file, with added and removed lines marked. */
export function DiffView({ patch }: { patch: string }) {
  const files: { name: string; lines: string[] }[] = [];
  for (const line of patch.split('\n')) {
    if (line.startsWith('diff --git ')) files.push({ name: line.replace(/^diff --git a\/(.*) b\/.*$/, '$1'), lines: [] });
    else if (files.length === 0) files.push({ name: '(patch)', lines: [line] });
    else files[files.length - 1]!.lines.push(line);
  }
  return (
    <div className="diff">
      {files.map((f, i) => (
        <details key={`${f.name}-${i}`} open={i < 5}>
          <summary className="mono">{f.name}</summary>
          <pre className="code">
            {f.lines.map((l, j) => {
              const cls = l.startsWith('+') && !l.startsWith('+++') ? 'add' : l.startsWith('-') && !l.startsWith('---') ? 'del' : l.startsWith('@@') ? 'hunk' : undefined;
              return <span key={j} className={cls}>{l}{'\n'}</span>;
            })}
          </pre>
        </details>
      ))}
    </div>
  );
}
