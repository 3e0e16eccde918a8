-- Gives a lease of a per-mailbox Graph concurrency gate back (a lease already expired is a no-op).
--
-- KEYS[1]  the gate's sorted set
-- ARGV[1]  lease id
-- Returns  1 when the lease was held, 0 otherwise.
-- @include not-persisted
return redis.call('ZREM', KEYS[1], ARGV[1])
