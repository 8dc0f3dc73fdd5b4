/**
 * Which environment variables a run records. Only allow-listed names are
 * kept, and a name that looks secret is never stored, even when allowed.
 */

/** Names (exact) and prefixes (ending in `*`) recorded by default. */
export const DEFAULT_ENV_ALLOW: readonly string[] = [
  'LANG', 'LC_*', 'TZ', 'PYTHONHASHSEED', 'PYTHONPATH', 'PYTHONOPTIMIZE', 'VIRTUAL_ENV', 'CONDA_DEFAULT_ENV', 'CONDA_PREFIX',
  'NODE_ENV', 'NODE_OPTIONS', 'CUDA_VISIBLE_DEVICES', 'CUBLAS_WORKSPACE_CONFIG', 'OMP_NUM_THREADS', 'MKL_NUM_THREADS',
  'OPENBLAS_NUM_THREADS', 'NUMEXPR_NUM_THREADS', 'TF_*', 'TORCH_*', 'JAX_*', 'XLA_*', 'HF_*', 'CAIRN_PARAM_*',
];

const SECRET_RE = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH|PRIVATE/i;

/** True for names such as AWS_SECRET_ACCESS_KEY, HF_TOKEN or DB_PASSWORD. */
export const looksSecret = (name: string): boolean => SECRET_RE.test(name);

function allowed(name: string, allow: readonly string[]): boolean {
  return allow.some((a) => (a.endsWith('*') ? name.startsWith(a.slice(0, -1)) : name === a));
}

/** The subset of `env` worth recording: allow-listed and not secret-looking. */
export function recordableEnv(
  env: Readonly<Record<string, string | undefined>>, allow: readonly string[] = DEFAULT_ENV_ALLOW,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value === undefined || looksSecret(name) || !allowed(name, allow)) continue;
    out[name] = value;
  }
  return out;
}

/** Removes `user:password@` from a URL such as a git remote. */
export function stripCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}
