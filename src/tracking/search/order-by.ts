import { InvalidArgument } from '../../core/errors.js';
import { Scanner } from './scanner.js';
import { parseTarget, type OrderTarget } from './search-target.js';

/** One order_by item: what to sort on and which way. Missing values sort last either way. */
export interface OrderByClause {
  readonly target: OrderTarget;
  readonly ascending: boolean;
}

/**
 * Parses MLflow-style order_by items: `<identifier> [ASC|DESC]`, ascending by
 * default, where the identifier is `metrics.<key>`, `params.<key>`,
 * `tags.<key>`, `attributes.<name>` or a bare attribute name.
 * Throws `InvalidArgument` naming the item and the 1-based position in it.
 *
 * @example
 * parseOrderBy(['metrics.`val loss` ASC', 'start_time DESC'])
 */
export function parseOrderBy(items: readonly string[] | null | undefined): OrderByClause[] {
  const seen = new Map<string, string>();
  return (items ?? []).map((item, i) => {
    const s = new Scanner(item, `invalid order_by item ${i + 1} ('${item}')`, 'the end of the item');
    if (s.atEnd()) s.failAt(0, 'the item is empty: write e.g. metrics.acc DESC', 'an identifier');
    const { target, text } = parseTarget(s, { bareAttributes: true, datasets: false });
    const ascending = !s.keyword('DESC');
    if (ascending) s.keyword('ASC');
    if (!s.atEnd()) s.expected('ASC, DESC or the end of the item', text);
    const id = `${target.entity}\u0000${target.key}`;
    const first = seen.get(id);
    if (first !== undefined) {
      throw new InvalidArgument(`order_by names ${text} twice (items ${first} and ${i + 1}): keep one`, {
        item: i + 1,
      });
    }
    seen.set(id, String(i + 1));
    return { target: target as OrderTarget, ascending };
  });
}
