-- The record of an earlier identical download, with its last use set to now.
--
-- KEYS[1]  hash field -> record (JSON)     KEYS[2]  sorted set field -> last use
-- ARGV[1]  field     ARGV[2]  now, ms
-- Returns  the record (JSON), or nil.
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return nil end
local rec = cjson.decode(raw)
rec.lastUsed = tonumber(ARGV[2])
local updated = cjson.encode(rec)
redis.call('HSET', KEYS[1], ARGV[1], updated)
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return updated
