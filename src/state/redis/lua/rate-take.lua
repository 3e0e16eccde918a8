-- Counts one call of a person in a fixed window (remote mode's per-person rate limit), in one round
-- trip: the window's counter is created with its expiry in the same step that counts, so a replica dying
-- between the two cannot leave a counter that never expires.
--
-- KEYS[1]  the person's window counter
-- ARGV[1]  window length, ms
-- Returns  {calls in this window including this one, ms until the window ends}
-- @include not-persisted
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
-- A counter left without an expiry (it cannot happen here, but a hand-made key could) would block forever.
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
