-- Shared by the scripts that delete a mapping (confirm, undo); prepended to them by LuaScripts.
-- Deletes the mapping from the mappings hash (KEYS[mappings]) and its entries from the index,
-- and frees its port: back into the free set only inside the range the set was seeded for
-- (a changed range reseeds anyway), so a port outside the range is never handed out.
local function release_mapping(mappings, index, free, pool, port, mapping)
  redis.call('HDEL', KEYS[mappings], port)
  redis.call('ZREM', KEYS[index], 'n:' .. mapping.name .. '\0' .. port, 'a:' .. mapping.target_addr .. '\0' .. port,
    'c:' .. mapping.component .. '\0' .. port)
  local range = redis.call('HMGET', KEYS[pool], 'min', 'max')
  if range[1] and port >= tonumber(range[1]) and port <= tonumber(range[2]) then
    redis.call('SADD', KEYS[free], port)
  end
end

-- Forgets the connection usage of a released mapping's port (KEYS[usage], the usage hash), so
-- the next mapping on that port starts from nothing. Needs lib/usage-fields.lua before this file.
local function release_usage(usage, port)
  redis.call('HDEL', KEYS[usage], unpack(usage_fields(port)))
end
