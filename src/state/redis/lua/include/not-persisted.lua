-- What this script writes is rebuildable coordination state (a lease, a pause, a counter, a paging
-- cursor): it is kept out of the append-only file and the replication stream, so under
-- `appendfsync always` it costs no fsync. After a Redis restart or failover it is simply gone, which
-- each caller tolerates: leases and pauses start empty (Graph says Retry-After again), counters
-- restart their window, a lost cursor is answered "list again". Approvals, drafts, handles and delta
-- links are written by other scripts, durably.
redis.set_repl(redis.REPL_NONE)
