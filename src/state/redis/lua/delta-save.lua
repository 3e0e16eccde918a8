-- Saves a folder's delta state by compare-and-set on its revision, so two rounds racing never make a
-- link go backwards. A forgotten link leaves a tombstone with its revision: revisions only rise, and a
-- racer holding a revision from before the forget can never write.
--
-- KEYS[1]  the folder's delta key (JSON: {deltaLink, savedAt, newest?, revision} or {revision, forgotten})
-- ARGV[1]  expected revision (0 = nothing saved yet)     ARGV[2]  deltaLink     ARGV[3]  savedAt
-- ARGV[4]  newest ('' = none)
-- Returns  {1, new revision} or {0, current state JSON or ''}
local raw = redis.call('GET', KEYS[1])
local current = raw and cjson.decode(raw) or nil
local live = current and not current.forgotten
local revision = live and current.revision or 0
if revision ~= tonumber(ARGV[1]) then return {0, live and raw or ''} end
local nextRevision = (current and current.revision or 0) + 1
local state = {deltaLink = ARGV[2], savedAt = ARGV[3], revision = nextRevision}
if ARGV[4] ~= '' then state.newest = ARGV[4] end
redis.call('SET', KEYS[1], cjson.encode(state))
return {1, nextRevision}
