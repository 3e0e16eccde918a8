-- Extends a lease of a per-mailbox Graph gate that is still live; an expired lease is not revived
-- (its slot may have been given to someone else).
--
-- KEYS[1]  the gate's sorted set
-- ARGV[1]  now, ms     ARGV[2]  lease id     ARGV[3]  lease length, ms
-- Returns  1 when extended, 0 when the lease had expired.
-- @include not-persisted
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], 'XX', string.format('%d', now + ttl), ARGV[2])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
