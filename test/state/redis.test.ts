/**
 * The state contract suites on the Redis adapter, against a real redis-server started here (Debian
 * package `redis-server`; skipped with a notice on a machine without it, an error under CI=true). Each
 * store the suites open gets a connection of its own, as a separate replica would: "3 stores of one
 * namespace" are 3 separate connections to one server.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { connectRedisState } from '../../src/state/redis/store.js';
import { redisServerAvailable, startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { stateContract } from './contract/index.js';

const available = redisServerAvailable();

describe.skipIf(!available)('Redis adapter', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => server?.close());

  stateContract({
    name: 'redis',
    open: (options) => connectRedisState({ ...options, url: server.url }),
  });
});
