/** Follows page tokens until the last page (or `max` items) and returns the items. */
export async function allPages<T>(
  page: (token: string | undefined) => Promise<{ readonly items: readonly T[]; readonly nextPageToken: string | null }>,
  max = Infinity,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const p = await page(token);
    items.push(...p.items);
    token = p.nextPageToken ?? undefined;
  } while (token !== undefined && items.length < max);
  return items.slice(0, max);
}
