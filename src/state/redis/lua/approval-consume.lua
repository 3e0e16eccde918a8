-- Spends an approval exactly once: only the draft's open approval can be spent, and spending it locks
-- the draft for the send (until release, or hold ms if the holder dies).
--
-- KEYS[1]  the draft's approval document
-- ARGV[1]  now, ms     ARGV[2]  nonce     ARGV[3]  hold, ms
-- Returns  'ok', or why not: 'superseded' | 'spent'.
-- @include approval-document
local now = tonumber(ARGV[1])
local nonce = ARGV[2]
local hold_until = now + tonumber(ARGV[3])
local doc = load_doc(KEYS[1], now)
local why = standing(doc, nonce)
if why ~= 'open' then return why end
local exp = doc.o.e
doc.o = nil
if doc.p and doc.p.n == nonce then doc.p = nil end
doc.s = {n = nonce, u = hold_until}
doc.x[nonce] = {w = 'spent', u = math.max(exp, hold_until)}
save_doc(KEYS[1], doc, now)
return 'ok'
