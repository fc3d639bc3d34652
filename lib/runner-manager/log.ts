/** The runner's log level (`log_level`): the one log-level vocabulary of the library and its config.toml model. */
export enum LogLevel {
  TRACE = 'trace',
  DEBUG = 'debug',
  INFO = 'info',
  WARN = 'warn',
  ERROR = 'error',
  FATAL = 'fatal',
  PANIC = 'panic',
}

/** The runner's log format (`log_format`). */
export enum LogFormat {
  /** Coloured text for terminals (the runner's default). */
  RUNNER = 'runner',
  /** Plain text. */
  TEXT = 'text',
  /** One JSON object per line, for log pipelines. */
  JSON = 'json',
}
