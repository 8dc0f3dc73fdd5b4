export type Theme = 'light' | 'dark';
const KEY = 'cairn.theme';

export function storedTheme(): Theme {
  const t = localStorage.getItem(KEY);
  if (t === 'light' || t === 'dark') return t;
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function applyTheme(t: Theme): void {
  document.documentElement.dataset.theme = t;
  localStorage.setItem(KEY, t);
}
