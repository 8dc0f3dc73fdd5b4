import type { ReactNode } from 'react';
import { isAuthError, messageOf } from '../lib/api.js';
import { Link } from '../lib/router.js';

/** Grey placeholder bars while a page loads. */
export function Skeleton({ rows = 4, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div className="skeleton" role="status" aria-live="polite" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => <div key={i} className="skeleton-bar" style={{ width: `${90 - (i % 3) * 15}%` }} />)}
    </div>
  );
}

/** An error shown on the page, with the server's message (which names the fix). */
export function ErrorBox({ error, retry }: { error: unknown; retry?: () => void }) {
  return (
    <div className="error-box" role="alert">
      <strong>{isAuthError(error) ? 'Sign-in needed' : 'Something went wrong'}</strong>
      <p>{messageOf(error)}</p>
      {isAuthError(error) ? <Link to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`}>Sign in with a token</Link> : null}
      {retry ? <button type="button" onClick={retry}>Try again</button> : null}
    </div>
  );
}

/** An empty state that shows the command or code that fills it. */
export function Empty({ title, children, code }: { title: string; children?: ReactNode; code?: string }) {
  return (
    <div className="empty">
      <h2>{title}</h2>
      {children}
      {code ? <pre className="code"><code>{code}</code></pre> : null}
    </div>
  );
}

/** Renders loading / error / data states of a `useAsync` result. */
export function Loaded<T>({ state, children, rows }: { state: { data: T | undefined; error: unknown; loading: boolean; reload(): void }; children: (data: T) => ReactNode; rows?: number }) {
  if (state.error && state.data === undefined) return <ErrorBox error={state.error} retry={state.reload} />;
  if (state.data === undefined) return <Skeleton rows={rows} />;
  return <>{children(state.data)}</>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status.toLowerCase()}`}>{status}</span>;
}
