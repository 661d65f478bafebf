/** Exit codes shared by every command (Lighthouse CI convention: only a failed gate is 1). */
export const EXIT = { ok: 0, gateFailed: 1, badInput: 2, internal: 3 } as const;

/** Where in a user's input a problem sits, so the message can point at it. */
export interface InputLocation {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
}

/**
 * Bad input from the user (a suite, a CSV, a flag). The CLI prints it as one line and exits 2;
 * anything else that escapes is an internal failure (exit 3).
 */
export class InputError extends Error {
  readonly location: InputLocation;
  constructor(message: string, location: InputLocation = {}) {
    super(message);
    this.name = 'InputError';
    this.location = location;
  }

  /** `file:line:col field: message`, the form editors and CI logs link to. */
  format(): string {
    const { file, line, column, field } = this.location;
    let where = file ?? '';
    if (where && line !== undefined) where += `:${line}` + (column !== undefined ? `:${column}` : '');
    const head = [where, field].filter(Boolean).join(' ');
    return head ? `${head}: ${this.message}` : this.message;
  }
}

/**
 * An assertion at level `error` failed: the one outcome that exits 1. The command has already
 * reported every outcome, so the CLI prints only this summary line.
 */
export class GateFailed extends Error {
  constructor(readonly failures: number) {
    super(`${failures} error-level assertion${failures === 1 ? '' : 's'} failed`);
    this.name = 'GateFailed';
  }
}
