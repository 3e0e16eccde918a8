-- Ends whatever `nonce` holds on its draft (its open approval, its prompt lock, its send lock) and
-- marks it spent, so it can never send afterwards; a newer approval's lock is left alone.
--
-- KEYS[1]  the draft's approval document
-- ARGV[1]  now, ms     ARGV[2]  nonce
-- @include approval-document
local now = tonumber(ARGV[1])
local nonce = ARGV[2]
local doc = load_doc(KEYS[1], now)
local u = now + 1
if doc.o and doc.o.n == nonce then u = math.max(u, doc.o.e); doc.o = nil end
if doc.s and doc.s.n == nonce then u = math.max(u, doc.s.u); doc.s = nil end
if doc.p and doc.p.n == nonce then doc.p = nil end
if not (doc.x[nonce] and doc.x[nonce].w == 'superseded') then doc.x[nonce] = {w = 'spent', u = u} end
save_doc(KEYS[1], doc, now)
return 1
