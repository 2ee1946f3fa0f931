import { CustomsError } from '@customs/errors';

/** A gemspec or Gemfile.lock that cannot be read; the scan goes on without it. */
export class RubyFileError extends CustomsError {
  constructor(path: string, problem: string) {
    super('RUBY_FILE_INVALID', `cannot read ${path}: ${problem}`, {
      hint: 'gems from this file are missing from the inventory; check that it is not truncated or hand-edited',
      context: { path },
    });
  }
}
