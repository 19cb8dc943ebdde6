-- Moves the end of a mapping's lease: only a mapping that has a lease and is not being removed
-- (or failed, unless the agent refused it after applying it: still wanted, see portmap-confirm.lua).
-- Uses lib/mapping-wanted.lua.
-- KEYS: 1 mappings hash, 2 lease expiry zset
-- ARGV: 1 connection port, 2 new expiry (epoch ms), 3 the same as ISO-8601, 4 now (ISO-8601)
-- Returns 'renewed', 'missing' (no mapping, or it is being removed or failed) or 'no_lease'.
local json = redis.call('HGET', KEYS[1], ARGV[1])
if not json then
  return 'missing'
end
local mapping = cjson.decode(json)
if not mapping_wanted(mapping) then
  return 'missing'
end
if not mapping.expires_at then
  return 'no_lease'
end
mapping.expires_at, mapping.updated = ARGV[3], ARGV[4]
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(mapping))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 'renewed'
