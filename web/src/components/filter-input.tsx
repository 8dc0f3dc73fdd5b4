/**
 * The filter box: the API's filter language, with autocomplete of keys and
 * keywords at the caret, and the server's error (position and what was
 * expected) shown inline under the box.
 */
import { useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';

export function FilterInput({ value, onApply, suggestions, error }: {
  value: string; onApply(v: string): void; suggestions: readonly string[]; error: string | null;
}) {
  const [text, setText] = useState(value);
  const [caret, setCaret] = useState(value.length);
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  // Where the caret goes once an accepted suggestion is in the box: placed in the same commit, before the next
  // key is handled (a later frame would move it back under keys already typed on a busy machine).
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const pos = pendingCaret.current;
    if (pos === null || !input.current) return;
    pendingCaret.current = null;
    input.current.focus();
    input.current.setSelectionRange(pos, pos);
  });
  const id = useId();
  const fragment = (/[\w.`/-]*$/.exec(text.slice(0, caret))?.[0]) ?? '';
  const options = useMemo(() => {
    if (!fragment) return [];
    const f = fragment.toLowerCase();
    return suggestions.filter((s) => s.toLowerCase().startsWith(f) && s.toLowerCase() !== f).slice(0, 12);
  }, [fragment, suggestions]);
  const showList = open && options.length > 0;
  const accept = (opt: string) => {
    const before = text.slice(0, caret - fragment.length);
    const next = `${before}${opt} ${text.slice(caret)}`;
    setText(next);
    const pos = before.length + opt.length + 1;
    setCaret(pos);
    setOpen(false);
    pendingCaret.current = pos;
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (showList && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
    } else if (showList && (e.key === 'Tab' || e.key === 'Enter')) {
      e.preventDefault();
      accept(options[active] ?? options[0]!);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      onApply(text.trim());
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };
  return (
    <div className="filter">
      <label htmlFor={`${id}-in`} className="sr-only">Filter runs</label>
      <input
        id={`${id}-in`} ref={input} className="filter-input" spellCheck={false} autoComplete="off"
        placeholder="metrics.loss < 0.5 and params.optimizer = 'adam'"
        role="combobox" aria-expanded={showList} aria-controls={`${id}-list`} aria-autocomplete="list"
        aria-activedescendant={showList ? `${id}-opt-${active}` : undefined}
        aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-err` : undefined}
        value={text}
        onChange={(e) => { setText(e.target.value); setCaret(e.target.selectionStart ?? e.target.value.length); setOpen(true); setActive(0); }}
        onKeyDown={onKey}
        onKeyUp={(e) => setCaret(e.currentTarget.selectionStart ?? text.length)}
        onClick={(e) => setCaret(e.currentTarget.selectionStart ?? text.length)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <button type="button" onClick={() => onApply(text.trim())}>Apply</button>
      {text ? <button type="button" onClick={() => { setText(''); onApply(''); }}>Clear</button> : null}
      {showList ? (
        <ul id={`${id}-list`} role="listbox" className="suggestions" aria-label="Filter suggestions">
          {options.map((o, i) => (
            <li key={o} id={`${id}-opt-${i}`} role="option" aria-selected={i === active} onMouseDown={(e) => { e.preventDefault(); accept(o); }}>{o}</li>
          ))}
        </ul>
      ) : null}
      {error ? <p id={`${id}-err`} className="field-error" role="alert">{error}</p> : null}
    </div>
  );
}
