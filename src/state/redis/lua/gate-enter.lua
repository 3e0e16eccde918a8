-- A Graph request's way in, in one round trip: the mailbox's shared Retry-After pause is checked and,
-- when there is none, a lease of its concurrency gate is taken (what pause GET + gate-acquire did in two).
--
-- KEYS[1]  the gate's sorted set (member = lease id, score = expiry in ms of the caller's clock)
-- KEYS[2]  the mailbox's pause key (value = end of the pause, ms of the caller's clock)
-- ARGV[1]  now, ms
-- ARGV[2]  lease id (random, chosen by the caller)
-- ARGV[3]  lease length, ms
-- ARGV[4]  most leases at once
-- Returns  {1, expiry} when taken; {0, ms until the earliest lease expires} when the gate is full;
--          {2, end of the pause} when the mailbox is paused (no lease taken).
-- @include not-persisted
local now = tonumber(ARGV[1])
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return {2, paused} end
-- @include gate-take
