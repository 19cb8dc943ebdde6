-- Undoes a create or a remove whose command could not be published, if nothing changed the
-- mapping since: a create is deleted with its index entries and idempotency record and its
-- port is free again; a remove gets its previous state, generation, error and removal reason
-- back, and stays pending if its previous state had a command waiting for the agent (pending, or
-- removing: a DELETE repeated while the first one's command is re-published).
-- KEYS: 1 mappings hash, 2 free-port set, 3 pool hash, 4 pending zset, 5 index zset,
--       6 idempotency records hash, 7 idempotency expiry zset, 8 lease expiry zset, 9 usage hash
-- ARGV: 1 connection port, 2 generation written, 3 previous state ('' = it was a create),
--       4 previous generation, 5 hashed Idempotency-Key ('' = none), 6 its fingerprint,
--       7 previous error ('' = none), 8 previous removal reason ('' = none)
-- Uses lib/usage-fields.lua and lib/release-mapping.lua; an undone create's port was never handed
-- out, so it is free at once.
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then
  return 0
end
local mapping = cjson.decode(json)
if tostring(mapping.generation) ~= ARGV[2] then
  return 0
end
if ARGV[3] == '' then
  release_mapping(1, 5, 2, 3, nil, 8, tonumber(ARGV[1]), mapping, 0)
  release_usage(9, ARGV[1])
  redis.call('ZREM', KEYS[4], ARGV[1])
  if ARGV[5] ~= '' and redis.call('HGET', KEYS[6], ARGV[5]) == ARGV[6] .. '|' .. ARGV[1] .. '|' .. ARGV[2] then
    redis.call('HDEL', KEYS[6], ARGV[5])
    redis.call('ZREM', KEYS[7], ARGV[5])
  end
  return 1
end
mapping.state, mapping.generation = ARGV[3], tonumber(ARGV[4])
if ARGV[7] ~= '' then
  mapping.error = ARGV[7]
end
if ARGV[8] ~= '' then
  mapping.removal_reason = ARGV[8]
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(mapping))
if ARGV[3] ~= 'pending' and ARGV[3] ~= 'removing' then
  redis.call('ZREM', KEYS[4], ARGV[1])
end
return 1
