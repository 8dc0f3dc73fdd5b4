export function StageBadge({ stage }: { stage: string }) {
  return <span className={`badge stage-${stage}`}>{stage}</span>;
}
