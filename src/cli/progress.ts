/**
 * Progress on stderr: one line rewritten in place on a terminal, plain lines
 * otherwise (logs and pipes keep every step).
 */
export interface Progress {
  update(text: string): void;
  /** Ends the updating line so later output starts on a fresh one. */
  done(): void;
}

export function createProgress(stream: NodeJS.WriteStream): Progress {
  if (!stream.isTTY) {
    return { update: (text) => void stream.write(`${text}\n`), done: () => {} };
  }
  let shown = false;
  return {
    update(text) {
      const width = stream.columns ? stream.columns - 1 : text.length;
      stream.write(`\r\x1b[2K${text.slice(0, width)}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\n');
      shown = false;
    },
  };
}
