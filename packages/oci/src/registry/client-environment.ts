import { Agent, type Dispatcher } from 'undici';
import { InvalidOptionError } from '@customs/errors';
import { isLoopbackRegistry, registryHostname } from '../reference/image-reference.js';
import type { CredentialsSource } from './credentials.js';
import { abortableSleep, retryPolicyFrom, type RetryPolicy } from './retry.js';
import { TokenCache } from './token-cache.js';

export interface RegistryClientOptions {
  /** Credentials per registry host, or a function asked per host. Without them access is anonymous. */
  credentials?: CredentialsSource;
  /** Hosts (`host` or `host:port`) reached over plain HTTP; loopback registries always are. */
  insecureRegistries?: readonly string[];
  retry?: Partial<RetryPolicy>;
  /** Waits between retries; tests pass one that records and returns at once. */
  sleep?(ms: number, signal?: AbortSignal): Promise<void>;
  /** Milliseconds since the epoch; token expiry and Retry-After dates are judged by it. */
  now?(): number;
  /** In [0, 1); jitters backoff. */
  random?(): number;
  /** An undici dispatcher (proxy, custom TLS); by default one Agent per source, closed with it. */
  dispatcher?: Dispatcher;
  userAgent?: string;
  /** Longest wait for response headers. Default 30 s. */
  headersTimeoutMs?: number;
  /** Longest silence inside a response body before it counts as broken (and is resumed). Default 60 s. */
  bodyTimeoutMs?: number;
}

/** Everything a registry client needs from its surroundings, defaults filled in. */
export interface ClientEnvironment {
  readonly dispatcher: Dispatcher;
  readonly ownsDispatcher: boolean;
  readonly retry: RetryPolicy;
  readonly credentials: CredentialsSource | undefined;
  readonly tokens: TokenCache;
  readonly userAgent: string;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  now(): number;
  random(): number;
  /** Whether a host (`host[:port]`) is spoken to over plain HTTP. */
  isPlainHttp(host: string): boolean;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new InvalidOptionError(name, `${value} is not a positive number`);
  return value;
}

export function createClientEnvironment(options: RegistryClientOptions = {}): ClientEnvironment {
  const insecure = (options.insecureRegistries ?? []).map((host) => host.toLowerCase());
  const headersTimeoutMs = positive('headersTimeoutMs', options.headersTimeoutMs, 30_000);
  const bodyTimeoutMs = positive('bodyTimeoutMs', options.bodyTimeoutMs, 60_000);
  return {
    dispatcher:
      options.dispatcher ??
      new Agent({ connections: 8, headersTimeout: headersTimeoutMs, bodyTimeout: bodyTimeoutMs }),
    ownsDispatcher: options.dispatcher === undefined,
    retry: retryPolicyFrom(options.retry),
    credentials: options.credentials,
    tokens: new TokenCache(),
    userAgent: options.userAgent ?? 'customs-oci/0.1',
    headersTimeoutMs,
    bodyTimeoutMs,
    sleep: options.sleep ?? abortableSleep,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    isPlainHttp(host: string): boolean {
      const lower = host.toLowerCase();
      return (
        isLoopbackRegistry(lower) || insecure.includes(lower) || insecure.includes(registryHostname(lower))
      );
    },
  };
}
