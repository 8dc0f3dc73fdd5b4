/**
 * The script bench/ui.ts installs before any page script: it records the
 * browser's long tasks, when the first run row appears (`firstRow` is a JS
 * expression, true once it has), and when the page then becomes interactive
 * (a task posted to the main thread runs within 50 ms of being posted).
 */
export const loadProbe = (firstRow: string): string => `
  window.__longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
  window.__firstRows = null;
  window.__interactive = null;
  const probeInput = () => {
    const posted = performance.now();
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      const now = performance.now();
      if (now - posted < 50) window.__interactive = now; else probeInput();
    };
    ch.port2.postMessage(0);
  };
  new MutationObserver((_, obs) => {
    if (window.__firstRows === null && (${firstRow})) {
      window.__firstRows = performance.now();
      obs.disconnect();
      probeInput();
    }
  }).observe(document, { childList: true, subtree: true });
`;
