-- Reads, without changing anything, where a nonce stands for its draft and until when the draft is
-- locked (an open prompt or a send in progress).
--
-- KEYS[1]  the draft's approval document
-- ARGV[1]  now, ms     ARGV[2]  nonce ('' when only the lock is asked)
-- Returns  {standing, locked until in ms or 0}
-- @include approval-document
local now = tonumber(ARGV[1])
local doc = load_doc(KEYS[1], now)
local locked = math.max(doc.p and doc.p.u or 0, doc.s and doc.s.u or 0)
return {standing(doc, ARGV[2]), string.format('%d', locked)}
