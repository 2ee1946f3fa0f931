import type { Severity } from '@customs/model';
import type { Result } from 'sarif';

/** GitHub code scanning shows `error` as a failing alert, `warning` and `note` as lesser ones. */
export function sarifLevel(severity: Severity): Result.level {
  switch (severity) {
    case 'CRITICAL':
    case 'HIGH':
      return 'error';
    case 'MEDIUM':
      return 'warning';
    case 'LOW':
    case 'NEGLIGIBLE':
    case 'UNKNOWN':
      return 'note';
  }
}
