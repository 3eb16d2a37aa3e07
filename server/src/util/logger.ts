import type { LogLevel } from '../config';

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** Where log lines go: the LSP connection's console in the server, stderr in the CLI. */
export interface LogSink {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  log(message: string): void;
}

export class Logger {
  constructor(private readonly sink: LogSink, public level: LogLevel = 'info') {}

  private on(level: LogLevel): boolean {
    return ORDER[level] <= ORDER[this.level];
  }

  error(message: string): void { if (this.on('error')) this.sink.error(message); }
  warn(message: string): void { if (this.on('warn')) this.sink.warn(message); }
  info(message: string): void { if (this.on('info')) this.sink.info(message); }
  debug(message: string): void { if (this.on('debug')) this.sink.log(message); }
}
