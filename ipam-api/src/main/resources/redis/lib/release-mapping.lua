-- Shared by the scripts that delete a mapping (confirm, undo); prepended to them by LuaScripts.
-- Deletes the mapping from the mappings hash (KEYS[mappings]) and its entries from the index,
-- and frees its port only inside the range the free set was seeded for (a changed range reseeds
-- anyway), so a port outside the range is never handed out. A port that was in use cools down
-- first (cooldown_ms > 0): it waits in the cooling zset (KEYS[cooling], scored by when it may be
-- handed out again, epoch ms by Redis's clock) instead of the free set, so a client still holding
-- it does not land on the next owner's machine (see portmap-create.lua). Its lease, if any, is
-- dropped from the lease expiry zset (KEYS[leases]).
local function release_mapping(mappings, index, free, pool, cooling, leases, port, mapping, cooldown_ms)
  redis.call('HDEL', KEYS[mappings], port)
  redis.call('ZREM', KEYS[leases], port)
  redis.call('ZREM', KEYS[index], 'n:' .. mapping.name .. '\0' .. port, 'a:' .. mapping.target_addr .. '\0' .. port,
    'c:' .. mapping.component .. '\0' .. port)
  local range = redis.call('HMGET', KEYS[pool], 'min', 'max')
  if range[1] and port >= tonumber(range[1]) and port <= tonumber(range[2]) then
    if cooldown_ms > 0 then
      local time = redis.call('TIME')
      local now_ms = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
      redis.call('ZADD', KEYS[cooling], now_ms + cooldown_ms, port)
    else
      redis.call('SADD', KEYS[free], port)
    end
  end
end

-- Forgets the connection usage of a released mapping's port (KEYS[usage], the usage hash), so
-- the next mapping on that port starts from nothing. Needs lib/usage-fields.lua before this file.
local function release_usage(usage, port)
  redis.call('HDEL', KEYS[usage], unpack(usage_fields(port)))
end
