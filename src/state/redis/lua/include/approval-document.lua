-- The approval document of one draft (one JSON string key), shared by the approval scripts:
--   o = the draft's newest approval still open        {n = nonce, e = expiry}
--   p = the lock of a prompt the human is looking at  {n = nonce, u = until}
--   s = the lock of a send in progress                {n = nonce, u = until}
--   x = nonces that can no longer send, and why       {[nonce] = {w = 'spent'|'superseded', u = until}}
-- Times are ms of the caller's clock (ARGV), so all ports of a store share one notion of "now"; the
-- key's own TTL (real time) only collects the document once nothing in it can matter any more.

local function load_doc(key, now)
  local raw = redis.call('GET', key)
  local doc = raw and cjson.decode(raw) or {}
  if doc.o and doc.o.e <= now then doc.o = nil end
  if doc.p and doc.p.u <= now then doc.p = nil end
  if doc.s and doc.s.u <= now then doc.s = nil end
  local live = {}
  for nonce, rec in pairs(doc.x or {}) do
    if rec.u > now then live[nonce] = rec end
  end
  doc.x = live
  return doc
end

local function save_doc(key, doc, now)
  local horizon = 0
  if doc.o then horizon = math.max(horizon, doc.o.e) end
  if doc.p then horizon = math.max(horizon, doc.p.u) end
  if doc.s then horizon = math.max(horizon, doc.s.u) end
  for _, rec in pairs(doc.x) do horizon = math.max(horizon, rec.u) end
  if horizon <= now then
    redis.call('DEL', key)
    return
  end
  -- An empty table would encode as {} either way; x must stay an object for the next decode.
  if next(doc.x) == nil then doc.x = nil end
  redis.call('SET', key, cjson.encode(doc), 'PX', string.format('%d', horizon - now))
end

local function standing(doc, nonce)
  local rec = doc.x[nonce]
  if rec then return rec.w end
  if doc.o and doc.o.n == nonce then return 'open' end
  return 'spent'
end
