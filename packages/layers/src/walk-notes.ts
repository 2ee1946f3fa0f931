import type { UnreadFile } from './layer-scan.js';

/** Where a walk says what it passed over: every warning, and the wanted files among them. */
export class WalkNotes {
  readonly warnings: string[] = [];
  readonly unread: UnreadFile[] = [];

  /** A wanted file that was not read: a warning, and a record for whoever wanted it. */
  unreadFile(path: string, code: UnreadFile['code'], reason: string): void {
    this.warnings.push(reason);
    this.unread.push({ path, code, reason });
  }
}
