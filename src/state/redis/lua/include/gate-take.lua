-- Takes a lease of the gate KEYS[1] if one is free (ARGV[1] now, ARGV[2] lease id, ARGV[3] lease ms,
-- ARGV[4] most leases); expects `now` to be set. Shared by gate-acquire and gate-enter.
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
