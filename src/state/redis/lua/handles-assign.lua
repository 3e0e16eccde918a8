-- The handles of a list of Graph ids, creating missing ones: an id keeps its handle; a new id takes its
-- first candidate that is free (or already its own), so two ids never share a handle even when issued
-- by racing processes. Refreshes each handle's last use (at most once per granularity).
--
-- KEYS[1]  hash handle -> id     KEYS[2]  hash id -> handle     KEYS[3]  sorted set handle -> last use
-- ARGV[1]  now, ms     ARGV[2]  last-use granularity, ms     ARGV[3]  k = candidates per id
-- ARGV[4..]  per id: the id, then its k candidates (shortest first)
-- Returns  the handles, in the ids' order; '' for an id whose candidates are all taken by other ids
--          (the caller asks again with longer candidates).
local now = tonumber(ARGV[1])
local stale = now - tonumber(ARGV[2])
local k = tonumber(ARGV[3])
local stamp = string.format('%d', now)
local out = {}
local function touch(handle)
  local used = redis.call('ZSCORE', KEYS[3], handle)
  if not used or tonumber(used) <= stale then redis.call('ZADD', KEYS[3], stamp, handle) end
end
for i = 4, #ARGV, k + 1 do
  local id = ARGV[i]
  local handle = redis.call('HGET', KEYS[2], id)
  if not (handle and redis.call('HGET', KEYS[1], handle) == id) then
    handle = nil
    for c = i + 1, i + k do
      local owner = redis.call('HGET', KEYS[1], ARGV[c])
      if not owner or owner == id then
        handle = ARGV[c]
        redis.call('HSET', KEYS[1], handle, id)
        redis.call('HSET', KEYS[2], id, handle)
        break
      end
    end
  end
  if handle then touch(handle) end
  out[#out + 1] = handle or ''
end
return out
