-- Records a shared Retry-After pause of a mailbox: every replica waits until it ends. A pause only ever
-- grows: a shorter Retry-After seen later must not cut a longer one short.
--
-- KEYS[1]  the pause key (value = end of the pause, ms of the caller's clock)
-- ARGV[1]  now, ms
-- ARGV[2]  end of the requested pause, ms
-- Returns  the end of the pause now in force, ms.
-- @include not-persisted
local now = tonumber(ARGV[1])
local wanted = tonumber(ARGV[2])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current > wanted then return current end
if wanted <= now then return current end
redis.call('SET', KEYS[1], string.format('%d', wanted), 'PX', string.format('%d', wanted - now))
return wanted
