-- Removes least-recently-used download records until their sizes add up to at most maxBytes, and
-- returns them so the caller deletes their files.
--
-- KEYS[1]  hash field -> record (JSON)     KEYS[2]  sorted set field -> last use
-- ARGV[1]  maxBytes
-- Returns  the removed records (JSON), oldest first.
local max = tonumber(ARGV[1])
local total = 0
for _, raw in ipairs(redis.call('HVALS', KEYS[1])) do total = total + cjson.decode(raw).size end
local gone = {}
if total <= max then return gone end
for _, field in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
  if total <= max then break end
  local raw = redis.call('HGET', KEYS[1], field)
  redis.call('HDEL', KEYS[1], field)
  redis.call('ZREM', KEYS[2], field)
  if raw then
    total = total - cjson.decode(raw).size
    gone[#gone + 1] = raw
  end
end
return gone
