-- Records (or replaces) a saved download and its last use.
--
-- KEYS[1]  hash field -> record (JSON)     KEYS[2]  sorted set field -> last use
-- ARGV[1]  field     ARGV[2]  record (JSON, with lastUsed)     ARGV[3]  last use, ms
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1
