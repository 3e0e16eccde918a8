-- The Graph id behind a handle, refreshing its last use (at most once per granularity).
--
-- KEYS[1]  hash handle -> id     KEYS[2]  sorted set handle -> last use
-- ARGV[1]  now, ms     ARGV[2]  last-use granularity, ms     ARGV[3]  handle
-- Returns  the id, or nil when unknown.
local id = redis.call('HGET', KEYS[1], ARGV[3])
if not id then return nil end
local now = tonumber(ARGV[1])
local used = redis.call('ZSCORE', KEYS[2], ARGV[3])
if not used or tonumber(used) <= now - tonumber(ARGV[2]) then redis.call('ZADD', KEYS[2], string.format('%d', now), ARGV[3]) end
return id
