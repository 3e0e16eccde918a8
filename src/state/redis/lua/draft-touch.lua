-- Changes the subject and/or web link of a draft record if the record exists.
--
-- KEYS[1]  hash Graph id -> record (JSON)
-- ARGV[1]  Graph id     ARGV[2]  the fields to change (JSON object)
-- Returns  1 when changed, 0 when there is no such record.
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local rec = cjson.decode(raw)
for field, value in pairs(cjson.decode(ARGV[2])) do
  if field == 'subject' or field == 'webLink' then rec[field] = value end
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(rec))
return 1
