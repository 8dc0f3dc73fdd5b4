/** The shell: navigation, theme switch, sign-in state, and the page for the current path. */
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { Link, match, useLocation } from './lib/router.js';
import { applyTheme, storedTheme, type Theme } from './lib/theme.js';
import { getToken, setToken } from './lib/api.js';
import { Skeleton } from './components/page-state.js';
import { HomePage } from './pages/home-page.js';
import { ExperimentPage } from './pages/experiment-page.js';
import { LoginPage } from './pages/login-page.js';
import { LaterPage } from './pages/later-page.js';
import type { UiPage } from '../../src/api/ui-pages.js';

// The pages people land on (experiments, sign-in) are in the main bundle; the rest, with the chart,
// graph and markdown code only they use, load when first opened, so the first page has less to evaluate.
const RunPage = lazy(() => import('./pages/run-page.js').then((m) => ({ default: m.RunPage })));
const ComparePage = lazy(() => import('./pages/compare-page.js').then((m) => ({ default: m.ComparePage })));
const ModelsPage = lazy(() => import('./pages/models-page.js').then((m) => ({ default: m.ModelsPage })));
const ModelPage = lazy(() => import('./pages/model-page.js').then((m) => ({ default: m.ModelPage })));
const DataPage = lazy(() => import('./pages/data-page.js').then((m) => ({ default: m.DataPage })));
const DatasetPage = lazy(() => import('./pages/dataset-page.js').then((m) => ({ default: m.DatasetPage })));
const SweepsPage = lazy(() => import('./pages/sweeps-page.js').then((m) => ({ default: m.SweepsPage })));
const SweepPage = lazy(() => import('./pages/sweep-page.js').then((m) => ({ default: m.SweepPage })));

type Route = readonly [pattern: UiPage, render: (p: Record<string, string>) => ReactNode, section: string];

const ROUTES: readonly Route[] = [
  ['/', () => <HomePage />, 'experiments'],
  ['/experiments/:id', (p) => <ExperimentPage id={p.id!} />, 'experiments'],
  ['/runs/:id', (p) => <RunPage id={p.id!} />, 'experiments'],
  ['/compare', () => <ComparePage />, 'experiments'],
  ['/models', () => <ModelsPage />, 'models'],
  ['/models/:name', (p) => <ModelPage name={p.name!} />, 'models'],
  ['/data', () => <DataPage />, 'data'],
  ['/data/:name', (p) => <DatasetPage name={p.name!} />, 'data'],
  ['/sweeps', () => <SweepsPage />, 'sweeps'],
  ['/sweeps/:name', (p) => <SweepPage name={p.name!} />, 'sweeps'],
  ['/deployments', () => <LaterPage what="Deployments" />, 'deployments'],
  ['/monitoring', () => <LaterPage what="Monitoring" />, 'monitoring'],
  ['/login', () => <LoginPage />, ''],
];

const NAV: readonly (readonly [string, string, string])[] = [
  ['/', 'Experiments', 'experiments'],
  ['/models', 'Models', 'models'],
  ['/data', 'Data', 'data'],
  ['/sweeps', 'Sweeps', 'sweeps'],
  ['/deployments', 'Deployments', 'deployments'],
  ['/monitoring', 'Monitoring', 'monitoring'],
];

export function App() {
  const { path } = useLocation();
  const [theme, setTheme] = useState<Theme>(storedTheme());
  const toggle = () => { const t = theme === 'dark' ? 'light' : 'dark'; applyTheme(t); setTheme(t); };
  let page: ReactNode = <NotFoundPage />;
  let section = '';
  for (const [pattern, render, s] of ROUTES) {
    const m = match(pattern, path);
    if (m) { page = render(m); section = s; break; }
  }
  const signedIn = getToken() !== null;
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Cairn home">Cairn</Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([to, label, s]) => (
              <li key={to}><Link to={to} aria-current={section === s ? 'page' : undefined}>{label}</Link></li>
            ))}
          </ul>
        </nav>
        <div className="topbar-right">
          <button type="button" onClick={toggle} aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}>{theme === 'dark' ? '☀ Light' : '☾ Dark'}</button>
          {signedIn
            ? <button type="button" onClick={() => { setToken(null); location.assign('/login'); }}>Sign out</button>
            : <Link to="/login">Sign in</Link>}
        </div>
      </header>
      <main id="main" key={path}><Suspense fallback={<Skeleton label="Loading page" />}>{page}</Suspense></main>
    </>
  );
}

function NotFoundPage() {
  const { path } = useLocation();
  return <div className="empty"><h1>Not found</h1><p>No page at <code>{path}</code>. <Link to="/">Go to experiments</Link>.</p></div>;
}
