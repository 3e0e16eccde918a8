-- Forgets up to `limit` handles not used since `before` (the caller repeats until none are left, so
-- one call never blocks Redis for long).
--
-- KEYS[1]  hash handle -> id     KEYS[2]  hash id -> handle     KEYS[3]  sorted set handle -> last use
-- ARGV[1]  before, ms     ARGV[2]  limit
-- Returns  how many went.
local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, handle in ipairs(old) do
  local id = redis.call('HGET', KEYS[1], handle)
  redis.call('HDEL', KEYS[1], handle)
  if id and redis.call('HGET', KEYS[2], id) == handle then redis.call('HDEL', KEYS[2], id) end
  redis.call('ZREM', KEYS[3], handle)
end
return #old
