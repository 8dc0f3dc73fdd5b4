/** User ids shown as names (who registered or approved a version), fetched once per id and cached. */
import { useEffect, useState } from 'react';
import { api } from './api.js';

const cache = new Map<string, string>();

export function useUserNames(ids: readonly string[]): (id: string) => string {
  const [, setTick] = useState(0);
  const missing = [...new Set(ids)].filter((id) => !cache.has(id));
  const key = missing.join(',');
  useEffect(() => {
    if (!key) return;
    let live = true;
    api().governance.userNames(key.split(',')).then((names) => {
      for (const id of key.split(',')) cache.set(id, names[id] ?? id);
      if (live) setTick((t) => t + 1);
    }, () => { for (const id of key.split(',')) cache.set(id, id); });
    return () => { live = false; };
  }, [key]);
  return (id) => cache.get(id) ?? id;
}
