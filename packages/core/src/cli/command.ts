/** What a sub-command of the `argmax` CLI sees: its own arguments and where to write. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Progress bars only on a TTY; plain/JSON-friendly lines otherwise. */
  isTTY: boolean;
}

export interface Command {
  name: string;
  summary: string;
  /** Full `--help` text. */
  help: string;
  /** Returns the process exit code; never calls process.exit itself (so tests can call it in-process). */
  run(argv: string[], io: CliIo): Promise<number>;
}
