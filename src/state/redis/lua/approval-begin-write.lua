-- Starts one of our own changes of a draft (update, discard) under a write lease, in one step with the
-- check: refused while a prompt is open or a send is in progress; otherwise no consume of the draft
-- succeeds (approval-consume answers 'busy') until approval-end-write or the lease's expiry, which only
-- bounds a holder that died mid-change.
--
-- KEYS[1]  the draft's approval document
-- ARGV[1]  now, ms     ARGV[2]  lease id     ARGV[3]  lease expiry, ms
-- Returns  'ok', or until when the draft is locked (ms, as a string).
-- @include approval-document
local now = tonumber(ARGV[1])
local doc = load_doc(KEYS[1], now)
local locked = locked_until(doc)
if locked > now then return string.format('%d', locked) end
doc.w[ARGV[2]] = tonumber(ARGV[3])
save_doc(KEYS[1], doc, now)
return 'ok'
