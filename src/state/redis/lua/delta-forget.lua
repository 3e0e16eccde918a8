-- Forgets a folder's delta link (Graph refused it) if its revision is still the expected one, leaving
-- a tombstone that keeps the revision rising.
--
-- KEYS[1]  the folder's delta key
-- ARGV[1]  expected revision
-- Returns  1 when forgotten, 0 otherwise.
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local current = cjson.decode(raw)
if current.forgotten or current.revision ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], cjson.encode({revision = current.revision, forgotten = true}))
return 1
