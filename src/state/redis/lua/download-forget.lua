-- Forgets one download record.
--
-- KEYS[1]  hash field -> record (JSON)     KEYS[2]  sorted set field -> last use
-- ARGV[1]  field
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1
