-- Ends a write lease taken by approval-begin-write; an unknown or expired lease is fine.
--
-- KEYS[1]  the draft's approval document
-- ARGV[1]  now, ms     ARGV[2]  lease id
-- @include approval-document
local now = tonumber(ARGV[1])
local doc = load_doc(KEYS[1], now)
if doc.w[ARGV[2]] == nil then return 0 end
doc.w[ARGV[2]] = nil
save_doc(KEYS[1], doc, now)
return 1
