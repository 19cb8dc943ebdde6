-- Shared by the read scripts (portmap-read, portmap-snapshot); prepended by LuaScripts after
-- lib/usage-fields.lua. For the ports of a flat list (every stride-th element from the first),
-- the usage of those that have any: port, '<ISO time of the latest connection>|<its source>|<count>'
-- where the count sums the buckets of the current hour (ARGV-given epoch hour) and the 23 before.
local function usage_summary(usage, flat, stride, now_hour)
  local summary = {}
  if redis.call('HLEN', KEYS[usage]) == 0 then
    return summary
  end
  for i = 1, #flat, stride do
    local port = flat[i]
    local values = redis.call('HMGET', KEYS[usage], unpack(usage_fields(port)))
    if values[1] then
      local count = 0
      for slot = 2, 25 do
        local hour, n = string.match(values[slot] or '', '^(%d+):(%d+)$')
        if hour and tonumber(hour) > now_hour - 24 then
          count = count + tonumber(n)
        end
      end
      summary[#summary + 1] = port
      summary[#summary + 1] = string.match(values[1], '^%d+|(.*)$') .. '|' .. count
    end
  end
  return summary
end
