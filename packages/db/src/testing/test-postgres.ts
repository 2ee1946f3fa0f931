import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startThrowawayCluster, type ThrowawayCluster } from './throwaway-cluster.js';

/** The server tests use when it is there: trust auth on loopback, database `test`. */
export const DEFAULT_TEST_SERVER = 'postgres://postgres@127.0.0.1:5432/test';

export interface TestPostgres {
  /** URL of a database created for this test run only. */
  url: string;
  /** 'server' when the running server was used, 'throwaway' when a private cluster was started. */
  origin: 'server' | 'throwaway';
  /** Drops the database (and stops the private cluster). */
  close(): Promise<void>;
}

/**
 * A fresh, empty database for one test run: on the PostgreSQL at `adminUrl` when it answers, else on
 * a throwaway cluster started for the run, so tests also pass where no server runs.
 */
export async function createTestPostgres(adminUrl: string = DEFAULT_TEST_SERVER): Promise<TestPostgres> {
  let cluster: ThrowawayCluster | null = null;
  let admin = adminUrl;
  if (!(await answers(adminUrl))) {
    cluster = await startThrowawayCluster();
    admin = cluster.adminUrl;
  }
  const name = `customs_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(admin, `create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    origin: cluster ? 'throwaway' : 'server',
    async close() {
      await adminQuery(admin, `drop database if exists ${name} with (force)`).catch(() => undefined);
      await cluster?.stop();
    },
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    await adminQuery(url, 'select 1');
    return true;
  } catch {
    return false;
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}
