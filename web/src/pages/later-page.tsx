import { Empty } from '../components/page-state.js';

/** A navigation slot that a later capability fills (deployments, monitoring). */
export function LaterPage({ what }: { what: string }) {
  return (
    <section>
      <h1>{what}</h1>
      <Empty title={`${what} are not part of this Cairn yet`}>
        <p>This page is reserved for {what.toLowerCase()}; the capability arrives in a later release. Until then, the registry shows which version is in production and <code>cairn models rollback NAME</code> restores the previous one.</p>
      </Empty>
    </section>
  );
}
