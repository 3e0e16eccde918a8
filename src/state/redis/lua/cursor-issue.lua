-- Stores a paging cursor under a fresh handle until its expiry; refuses a handle still in use.
--
-- KEYS[1]  the cursor's key     KEYS[2]  the namespace's cursor expiry index (sorted set)
-- ARGV[1]  now, ms     ARGV[2]  handle     ARGV[3]  expiry, ms     ARGV[4]  the record (JSON)
-- Returns  1 when stored, 0 when the handle is taken.
-- @include not-persisted
local now = tonumber(ARGV[1])
local exp = tonumber(ARGV[3])
local raw = redis.call('GET', KEYS[1])
if raw and cjson.decode(raw).expiresAt > now then return 0 end
if exp <= now then return 1 end
local ttl = string.format('%d', exp - now)
redis.call('SET', KEYS[1], ARGV[4], 'PX', ttl)
redis.call('ZADD', KEYS[2], string.format('%d', exp), ARGV[2])
if redis.call('PTTL', KEYS[2]) < exp - now then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
