-- Claims the mappings whose command is due to be re-published: each claimed port's due time
-- moves forward, so of several API replicas only one re-publishes it.
-- KEYS: 1 pending zset
-- ARGV: 1 now (epoch ms), 2 next due (epoch ms), 3 limit
-- Returns {pending count, port, port, ...}: the count (before claiming, claimed ports stay
-- pending) tells the caller whether the gateway still has commands waiting for an answer.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, port in ipairs(due) do
  redis.call('ZADD', KEYS[1], ARGV[2], port)
end
table.insert(due, 1, redis.call('ZCARD', KEYS[1]))
return due
