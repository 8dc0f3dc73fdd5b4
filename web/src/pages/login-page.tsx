import { useState, type FormEvent } from 'react';
import { api, messageOf, setToken } from '../lib/api.js';
import { navigate, useLocation } from '../lib/router.js';

/** Sign in with an API token (`cairn tokens create`); it is kept in this browser only. */
export function LoginPage() {
  const { query } = useLocation();
  const [token, setTokenText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setToken(token.trim());
    try {
      await api().governance.whoami();
      navigate(query.get('next') ?? '/');
    } catch (err) {
      setToken(null);
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="login">
      <h1>Sign in</h1>
      <p>This server has authentication on. Paste an API token: an admin creates one with <code>cairn tokens create USER --name browser</code>.</p>
      <form onSubmit={submit}>
        <label htmlFor="token">API token</label>
        <input id="token" type="password" autoComplete="off" value={token} onChange={(e) => setTokenText(e.target.value)} required />
        <button type="submit" disabled={busy}>{busy ? 'Checking…' : 'Sign in'}</button>
      </form>
      {error ? <p className="error-box" role="alert">{error}</p> : null}
    </section>
  );
}
