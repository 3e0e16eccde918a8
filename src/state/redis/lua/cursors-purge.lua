-- Deletes cursors whose expiry has passed. The caller lists the candidates (their keys must be passed
-- explicitly); each is checked again here, so a cursor re-issued meanwhile survives.
--
-- KEYS[1]  the cursor expiry index     KEYS[2..n]  the candidates' cursor keys
-- ARGV[1]  now, ms     ARGV[2..n]  the candidates' handles, in the order of their keys
-- Returns  how many went.
-- @include not-persisted
local now = tonumber(ARGV[1])
local gone = 0
for i = 2, #KEYS do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) <= now then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('DEL', KEYS[i])
    gone = gone + 1
  end
end
return gone
