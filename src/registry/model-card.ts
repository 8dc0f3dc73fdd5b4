/** Model cards: markdown generated from lineage and metrics, plus intended use and limitations. Pure. */
import type { Lineage } from './lineage.js';

export interface CardFields {
  readonly intendedUse: string | null;
  readonly limitations: string | null;
}

const orNone = (s: string | null | undefined) => (s && s.trim() ? s.trim() : '_Not stated yet._');

/** Renders a card; the author edits the text afterwards as they like. */
export function renderModelCard(l: Lineage, f: CardFields): string {
  const lines = [
    `# ${l.model} v${l.version}`,
    '',
    `Stage: **${l.stage}**. Artifact: ${l.artifact.format}${l.artifact.flavor ? ` (${l.artifact.flavor})` : ''} at \`${l.source}\`.`,
    '',
    '## Intended use',
    '',
    orNone(f.intendedUse),
    '',
    '## Limitations',
    '',
    orNone(f.limitations),
    '',
    '## Metrics',
    '',
  ];
  const metrics = Object.entries(l.metrics);
  if (metrics.length === 0) lines.push('_No metrics were recorded._');
  else lines.push('| metric | value |', '|---|---|', ...metrics.map(([k, v]) => `| ${k} | ${v} |`));
  lines.push('', '## Lineage', '');
  lines.push(`- Code: ${l.code.commit ? `commit \`${l.code.commit}\`` : 'no commit recorded'}${l.code.repository ? ` in ${l.code.repository}` : ''}`);
  for (const d of l.data) lines.push(`- Data (${d.context || 'input'}): ${d.name}@${d.digest}`);
  if (l.run) {
    lines.push(`- Run: \`${l.run.id}\` (${l.run.name}), seed ${l.run.seed ?? 'not recorded'}, environment ${l.run.environment ?? 'not recorded'}`);
    const params = Object.entries(l.run.params);
    if (params.length) lines.push(`- Parameters: ${params.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  } else {
    lines.push('- Run: none recorded');
  }
  return `${lines.join('\n')}\n`;
}
