-- Applies an agent's confirmation to a mapping, idempotently: only an event for the
-- mapping's current generation changes it, so duplicates and stale events do nothing.
-- KEYS: 1 mappings hash, 2 free-port set, 3 pool hash, 4 pending zset, 5 index zset,
--       6 idempotency records hash, 7 cooling zset, 8 lease expiry zset,
--       9 usage hash
-- ARGV: 1 connection port, 2 generation, 3 outcome (applied|failed|removed), 4 action of a
--       failure (create|remove), 5 reason, 6 now (ISO-8601), 7 gateway id, 8 change channel
--       (a channel is not a key: as a key it would break Redis Cluster's one-slot rule),
--       9 port cool-down (ms; a removed mapping's port cools, a refused create's port was never used)
-- Uses lib/usage-fields.lua and lib/release-mapping.lua.
-- Returns the resulting state ('applied', 'failed', 'released', 'removed') or 'ignored'. A mapping
-- the agent refused after applying it is 'failed' with refused = true: still wanted (the snapshot
-- offers it as pending), so the agent's next 'applied' for its generation brings it back.
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then
  return 'ignored'
end
local mapping = cjson.decode(json)
local state = mapping.state
local generation = tonumber(mapping.generation)
local event_generation = tonumber(ARGV[2])
local result = 'ignored'
if ARGV[3] == 'removed' then
  -- a removal at or after the current generation: the rule is gone, the port is free again
  if event_generation >= generation then
    result = 'removed'
  end
elseif event_generation == generation then
  if ARGV[3] == 'applied' and (state == 'pending' or (state == 'failed' and mapping.refused)) then
    result = 'applied'
  elseif ARGV[3] == 'failed' and ARGV[4] == 'create' and state == 'pending' then
    result = 'released'
  elseif ARGV[3] == 'failed' and ARGV[4] == 'create'
      and (state == 'applied' or (state == 'failed' and mapping.refused and mapping.error ~= ARGV[5])) then
    -- the agent took the rule away (its lab networks no longer hold the target, say): the
    -- mapping shows failed with the agent's reason and keeps its port, so it comes back,
    -- applied, if the agent takes it again, or goes when the user deletes it; a later refusal
    -- for another reason replaces the reason
    result = 'refused'
  elseif ARGV[3] == 'failed' and ARGV[4] == 'remove' and state == 'removing' then
    result = 'failed'
  end
end
if result == 'removed' or result == 'released' then
  -- the Idempotency-Key that created this mapping remembers what became of it (see portmap-create.lua)
  local key = mapping.idempotency_key
  if key and redis.call('HGET', KEYS[6], key) == mapping.idempotency_record then
    local outcome = result == 'released' and ('|failed|' .. ARGV[5]) or '|removed|'
    redis.call('HSET', KEYS[6], key, mapping.idempotency_record .. outcome)
  end
  release_mapping(1, 5, 2, 3, 7, 8, tonumber(ARGV[1]), mapping, result == 'removed' and tonumber(ARGV[9]) or 0)
  release_usage(9, ARGV[1])
  redis.call('ZREM', KEYS[4], ARGV[1])
elseif result == 'applied' then
  mapping.state, mapping.error, mapping.refused, mapping.updated = 'applied', nil, nil, ARGV[6]
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(mapping))
  redis.call('ZREM', KEYS[4], ARGV[1])
elseif result == 'failed' or result == 'refused' then
  -- a failed removal is no longer wanted on the gateway, even if the agent had refused it before
  mapping.state, mapping.error, mapping.refused, mapping.updated = 'failed', ARGV[5], result == 'refused' or nil,
      ARGV[6]
  result = 'failed'
  redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(mapping))
  redis.call('ZREM', KEYS[4], ARGV[1])
end
if result ~= 'ignored' then
  redis.call('PUBLISH', ARGV[8], ARGV[7] .. ' ' .. ARGV[1] .. ' ' .. event_generation .. ' ' .. result .. ' ' .. ARGV[5])
end
return result
