#!lua flags=no-writes
-- Everything GET /portmap and /addr show of a gateway, in one round trip: the registry, the
-- mappings that pass the filters and the reachability of their addresses. A filter by port is
-- one field; by name, address or component a range of the index: O(answer), not O(mappings).
-- Flagged no-writes, so reads still work while Redis refuses writes (OOM, a read-only replica).
-- KEYS: 1 mappings hash, 2 index zset, 3 reachability hash, 4 registry hash, 5 usage hash
-- ARGV: 1 conn_port, 2 name, 3 target_addr, 4 component, 5 target_port ('' = any; all must match),
--       6 the current epoch hour (for the usage counts)
-- Uses lib/usage-fields.lua and lib/usage-summary.lua.
-- Returns {registry as field/value list, mappings as port/JSON list, reachability as address/JSON list,
--          usage of the listed mappings as port/summary list}.
local filtered = ARGV[1] ~= '' or ARGV[2] ~= '' or ARGV[3] ~= '' or ARGV[4] ~= '' or ARGV[5] ~= ''
local registry = redis.call('HGETALL', KEYS[4])
if not filtered then
  local all = redis.call('HGETALL', KEYS[1])
  return {registry, all, redis.call('HGETALL', KEYS[3]), usage_summary(5, all, 2, tonumber(ARGV[6]))}
end
local ports
if ARGV[1] ~= '' then
  ports = {ARGV[1]}
else
  local prefix = (ARGV[2] ~= '' and 'n:' .. ARGV[2]) or (ARGV[3] ~= '' and 'a:' .. ARGV[3])
    or (ARGV[4] ~= '' and 'c:' .. ARGV[4])
  if prefix then
    ports = {}
    for _, member in ipairs(redis.call('ZRANGEBYLEX', KEYS[2], '[' .. prefix .. '\0', '(' .. prefix .. '\1')) do
      ports[#ports + 1] = string.sub(member, #prefix + 2)
    end
  else
    ports = redis.call('HKEYS', KEYS[1])
  end
end
local mappings, addresses, seen = {}, {}, {}
local jsons = #ports > 0 and redis.call('HMGET', KEYS[1], unpack(ports)) or {}
for i, json in ipairs(jsons) do
  if json then
    local m = cjson.decode(json)
    if (ARGV[2] == '' or m.name == ARGV[2]) and (ARGV[3] == '' or m.target_addr == ARGV[3])
        and (ARGV[4] == '' or m.component == ARGV[4]) and (ARGV[5] == '' or tostring(m.target_port) == ARGV[5]) then
      mappings[#mappings + 1] = ports[i]
      mappings[#mappings + 1] = json
      if not seen[m.target_addr] then
        seen[m.target_addr] = true
        addresses[#addresses + 1] = m.target_addr
      end
    end
  end
end
local reachability = {}
if #addresses > 0 then
  for i, json in ipairs(redis.call('HMGET', KEYS[3], unpack(addresses))) do
    if json then
      reachability[#reachability + 1] = addresses[i]
      reachability[#reachability + 1] = json
    end
  end
end
return {registry, mappings, reachability, usage_summary(5, mappings, 2, tonumber(ARGV[6]))}
