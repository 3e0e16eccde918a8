-- Takes one lease of a per-mailbox Graph concurrency gate (a lease semaphore), if one is free.
-- A lease is a member of a sorted set scored by its expiry, so a holder that dies without releasing
-- frees its slot when the lease runs out instead of blocking the mailbox for good.
--
-- KEYS[1]  the gate's sorted set (member = lease id, score = expiry in ms of the caller's clock)
-- ARGV[1]  now, ms
-- ARGV[2]  lease id (random, chosen by the caller)
-- ARGV[3]  lease length, ms
-- ARGV[4]  most leases at once
-- Returns  {1, expiry} when taken; {0, ms until the earliest lease expires} when the gate is full.
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[3])
local max = tonumber(ARGV[4])

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= max then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, math.max(1, tonumber(first[2]) - now)}
end
local expiry = now + ttl
redis.call('ZADD', KEYS[1], string.format('%d', expiry), ARGV[2])
-- The set lives as long as its longest lease (real time on the server: a lease is relative to now).
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return {1, expiry}
