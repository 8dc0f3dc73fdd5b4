/**
 * The web UI's pages, shared by the server (which answers index.html on each,
 * so a reload or a shared link opens the same view) and the UI's router
 * (which types its routes by this list). Anything else is a JSON 404.
 */
export const UI_PAGES = [
  '/', '/login', '/compare', '/experiments/:id', '/runs/:id', '/models', '/models/:name', '/data', '/data/:name',
  '/sweeps', '/sweeps/:name', '/deployments', '/monitoring',
] as const;
export type UiPage = (typeof UI_PAGES)[number];
