-- Undoes a create or a remove whose command could not be published, if nothing changed the
-- mapping since: a create is deleted with its port and idempotency key; a remove gets its
-- previous state and generation back.
-- KEYS: 1 mapping hash, 2 set of used ports, 3 pending zset, 4 idempotency key
-- ARGV: 1 connection port, 2 generation written, 3 previous state ('' = it was a create),
--       4 previous generation, 5 idempotency fingerprint ('' = none)
local generation = redis.call('HGET', KEYS[1], 'generation')
if generation ~= ARGV[2] then
  return 0
end
if ARGV[3] == '' then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], ARGV[1])
  redis.call('ZREM', KEYS[3], ARGV[1])
  if ARGV[5] ~= '' and redis.call('GET', KEYS[4]) == ARGV[5] .. '|' .. ARGV[1] .. '|' .. ARGV[2] then
    redis.call('DEL', KEYS[4])
  end
  return 1
end
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'generation', ARGV[4])
if ARGV[3] ~= 'pending' then
  redis.call('ZREM', KEYS[3], ARGV[1])
end
return 1
