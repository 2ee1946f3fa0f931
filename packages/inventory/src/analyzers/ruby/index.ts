import path from 'node:path';
import { parserAnalyzer } from '../parser-analyzer.js';
import { parseGemfileLock } from './parse-gemfile-lock.js';
import { parseGemspec } from './parse-gemspec.js';

/**
 * Installed gems: the specifications RubyGems keeps for every installed gem, default gems
 * (`specifications/default/`) included, wherever the gem directory is (/usr/local/bundle,
 * /usr/lib/ruby/gems/3.1.0, /var/lib/gems, Debian's /usr/share/rubygems-integration).
 */
export const rubyGemspec = parserAnalyzer({
  id: 'ruby-gemspec',
  version: 1,
  maxFileSize: 1024 * 1024,
  match: (filePath) => /(^|\/)specifications\/(default\/)?[^/]+\.gemspec$/.test(filePath),
  parse: (file) => [parseGemspec(file.text(), file.path)],
});

/** Bundler lockfiles of Ruby applications copied into an image. */
export const gemfileLock = parserAnalyzer({
  id: 'gemfile-lock',
  version: 1,
  maxFileSize: 4 * 1024 * 1024,
  match: (filePath) => path.posix.basename(filePath) === 'Gemfile.lock',
  parse: (file) => parseGemfileLock(file.text(), file.path),
});
