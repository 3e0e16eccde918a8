-- Records a newly minted approval as its draft's newest; an earlier one still open becomes superseded.
-- A prompt (lock = 1) locks the draft until it expires; a review card (lock = 0) does not lock, and
-- opened while a prompt holds the draft it keeps the draft held (now under the card's nonce).
--
-- KEYS[1]  the draft's approval document
-- ARGV[1]  now, ms     ARGV[2]  nonce     ARGV[3]  expiry, ms     ARGV[4]  lock: '1' or '0'
-- @include approval-document
local now = tonumber(ARGV[1])
local nonce = ARGV[2]
local exp = tonumber(ARGV[3])
local doc = load_doc(KEYS[1], now)
if doc.o then doc.x[doc.o.n] = {w = 'superseded', u = doc.o.e} end
doc.o = {n = nonce, e = exp}
if ARGV[4] == '1' or doc.p then
  doc.p = {n = nonce, u = math.max(exp, doc.p and doc.p.u or 0)}
end
save_doc(KEYS[1], doc, now)
return 1
