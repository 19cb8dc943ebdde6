-- Marks a mapping as being removed under the next generation. The port stays used until the
-- agent confirms the removal. Returns what it was (state, generation, error and removal reason,
-- '' when none), so a failed publish can undo it.
-- KEYS: 1 generation counter, 2 mappings hash, 3 pending zset
-- ARGV: 1 connection port, 2 now (ISO-8601), 3 republish due (epoch ms), 4 request id
local json = redis.call('HGET', KEYS[2], ARGV[1])
if not json then
  return {'missing'}
end
local mapping = cjson.decode(json)
local state, previous_generation = mapping.state, mapping.generation
-- text only: a legacy record may hold an explicit null (cjson.null), which would reach the caller as nil
local function text(value)
  return type(value) == 'string' and value or ''
end
local previous_error, previous_reason = text(mapping.error), text(mapping.removal_reason)
local generation = redis.call('INCR', KEYS[1])
mapping.state, mapping.generation, mapping.updated, mapping.request_id = 'removing', generation, ARGV[2], ARGV[4]
-- refused (see portmap-confirm.lua) stays, so an undone removal leaves the mapping as it was; the
-- agent's answer releases the mapping, or fails the removal, which clears it
mapping.error, mapping.removal_reason = nil, nil
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(mapping))
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
return {'removing', generation, state, tostring(previous_generation), previous_error, previous_reason}
