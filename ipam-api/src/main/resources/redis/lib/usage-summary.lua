-- Shared by the read scripts (portmap-read, portmap-snapshot); prepended by LuaScripts after
-- lib/usage-fields.lua. For the ports of a flat list (every stride-th element from the first),
-- the usage of those that have any: port, '<ISO time of the latest connection>|<its source>|<count>'
-- where the count sums the hours within the 24 up to the given epoch hour. One HMGET per
-- 500 ports, nothing at all for a gateway without usage.
local function usage_summary(usage, flat, stride, now_hour)
  local summary = {}
  if redis.call('HLEN', KEYS[usage]) == 0 then
    return summary
  end
  local ports, fields = {}, {}
  for i = 1, #flat, stride do
    ports[#ports + 1] = flat[i]
    local names = usage_fields(flat[i])
    fields[#fields + 1] = names[1]
    fields[#fields + 1] = names[2]
  end
  for first = 1, #fields, 1000 do
    local values = redis.call('HMGET', KEYS[usage], unpack(fields, first, math.min(first + 999, #fields)))
    for k = 1, #values, 2 do
      if values[k] then
        local count = 0
        for hour, n in string.gmatch(values[k + 1] or '', '(%d+):(%d+)') do
          if tonumber(hour) > now_hour - 24 then
            count = count + tonumber(n)
          end
        end
        summary[#summary + 1] = ports[(first + k) / 2]
        summary[#summary + 1] = string.match(values[k], '^%d+|(.*)$') .. '|' .. count
      end
    end
  end
  return summary
end
