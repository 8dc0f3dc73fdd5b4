/**
 * Runs a training command as a child process: its output streams live to the
 * terminal and, with backpressure, into a log file, so memory stays flat for
 * any amount of output. Ctrl-C and SIGTERM are forwarded to the child's
 * process group; a second Ctrl-C kills it.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';

export interface ChildOptions {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly logFile: string;
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** Called once the child has a pid (to start sampling it). */
  readonly onSpawn?: (pid: number) => void;
}

export interface ChildResult {
  /** Exit code; 127 when the program could not be started; null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** True when the user interrupted (Ctrl-C, SIGTERM, SIGHUP). */
  readonly interrupted: boolean;
  /** The last lines of stderr (at most 4,000 characters). */
  readonly stderrTail: string;
  /**
   * The last non-empty line of stdout, trimmed; null when there was none or
   * it is longer than the 64 KiB kept (only that much of stdout is held).
   */
  readonly stdoutLastLine: string | null;
  readonly durationMs: number;
}

const TAIL_BYTES = 16 * 1024;
const TAIL_CHARS = 4000;
const TAIL_LINES = 30;
const LAST_LINE_BYTES = 64 * 1024;

/** The last `limit` bytes of a stream; `cut` once earlier bytes were dropped. */
class Tail {
  private buf = Buffer.alloc(0);
  cut = false;

  constructor(private readonly limit: number) {}

  readonly push = (b: Buffer): void => {
    this.buf = Buffer.concat([this.buf, b]);
    if (this.buf.length > this.limit) {
      this.buf = this.buf.subarray(this.buf.length - this.limit);
      this.cut = true;
    }
  };

  get bytes(): Buffer {
    return this.buf;
  }
}

/** The last non-empty line, or null when none, or when the kept bytes start inside it. */
function lastLineOf(t: Tail): string | null {
  const text = t.bytes.toString('utf8').trimEnd();
  const start = text.lastIndexOf('\n');
  if (start < 0 && t.cut) return null;
  const line = text.slice(start + 1).trim();
  return line === '' ? null : line;
}

/** Copies `src` into every sink, pausing while any sink is full. */
function tee(src: Readable, sinks: readonly Writable[], onChunk: (b: Buffer) => void): void {
  src.on('data', (chunk: Buffer) => {
    onChunk(chunk);
    let waiting = 0;
    for (const sink of sinks) {
      if (!sink.write(chunk)) {
        waiting++;
        sink.once('drain', () => {
          if (--waiting === 0) src.resume();
        });
      }
    }
    if (waiting > 0) src.pause();
  });
}

function tailOf(buf: Buffer, truncated: boolean): string {
  let text = buf.toString('utf8');
  // A cut buffer starts mid-line: drop that partial line.
  if (truncated) text = text.slice(text.indexOf('\n') + 1);
  text = text.trimEnd().split('\n').slice(-TAIL_LINES).join('\n');
  return text.length > TAIL_CHARS ? text.slice(-TAIL_CHARS) : text;
}

const close = (s: WriteStream): Promise<void> => new Promise((resolve) => s.end(() => resolve()));

export async function runChild(o: ChildOptions): Promise<ChildResult> {
  const started = Date.now();
  const log = createWriteStream(o.logFile);
  const errTail = new Tail(TAIL_BYTES);
  const outTail = new Tail(LAST_LINE_BYTES);
  const [cmd, ...args] = o.argv;
  const child = spawn(cmd ?? '', args, {
    cwd: o.cwd,
    env: o.env,
    // Its own process group, so Ctrl-C reaches it once (through us) and reaches its children too.
    detached: true,
    stdio: [process.stdin.isTTY ? 'ignore' : 'inherit', 'pipe', 'pipe'],
  });
  let interrupted = false;
  let interrupts = 0;
  const forward = (sig: NodeJS.Signals): void => {
    interrupted = true;
    interrupts++;
    const send = interrupts > 1 && sig === 'SIGINT' ? 'SIGKILL' : sig;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, send);
    } catch {
      child.kill(send);
    }
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, forward);
  try {
    const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('error', (err: NodeJS.ErrnoException) => {
        const msg = err.code === 'ENOENT' ? `command not found: ${cmd ?? ''}; check the command after --` : `could not start ${cmd ?? ''}: ${err.message}`;
        o.stderr.write(`cairn run: ${msg}\n`);
        log.write(`${msg}\n`);
        errTail.push(Buffer.from(msg));
        resolve({ code: 127, signal: null });
      });
      if (child.pid !== undefined) o.onSpawn?.(child.pid);
      if (child.stdout) tee(child.stdout, [o.stdout, log], outTail.push);
      if (child.stderr) tee(child.stderr, [o.stderr, log], errTail.push);
      child.once('close', (code, signal) => resolve({ code, signal }));
    });
    return {
      exitCode: result.code,
      signal: result.signal,
      interrupted,
      stderrTail: tailOf(errTail.bytes, errTail.cut),
      stdoutLastLine: lastLineOf(outTail),
      durationMs: Date.now() - started,
    };
  } finally {
    for (const s of signals) process.off(s, forward);
    await close(log);
  }
}
