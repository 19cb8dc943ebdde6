-- Counts the forwarded connections of one log batch into the gateway's usage hash, once per
-- batch id: a redelivered or re-published batch (same id) changes nothing. Only connections
-- to a port that holds a mapping count; the others are answered as unknown. The caller
-- groups the batch's connections by port and hour, so the work is per port, not per record:
-- one HEXISTS, one HMGET and at most one HSET.
-- KEYS: 1 mappings hash, 2 usage hash, 3 counted batch ids zset (scored by arrival, epoch ms)
-- ARGV: 1 batch id, 2 now (epoch ms, the API's clock), 3 how many batch ids to remember,
--       4 how long to remember them (ms), then per port: port, its connections in the batch,
--       the latest one's epoch ms, ISO-8601 time and source, n, then n pairs of epoch hour and count
-- Uses lib/usage-fields.lua: '<port>:last' = '<epoch ms>|<ISO time>|<source>',
-- '<port>:hours' = '<epoch hour>:<count>,...' for the hours of the last 24 with connections.
-- Returns {counted, unknown port}, or {-1, 0} for a batch already counted.
local now = tonumber(ARGV[2])
if redis.call('ZADD', KEYS[3], 'NX', now, ARGV[1]) == 0 then
  return {-1, 0}
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[4]))
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[3]) - 1)
local oldest = math.floor(now / 3600000) - 23
local counted, unknown = 0, 0
local i = 5
while i <= #ARGV do
  local port, connections, hours = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 5])
  if redis.call('HEXISTS', KEYS[1], port) == 1 then
    counted = counted + connections
    local fields = usage_fields(port)
    local held = redis.call('HMGET', KEYS[2], fields[1], fields[2])
    local last = held[1]
    if not last or tonumber(string.match(last, '^(%d+)|')) < tonumber(ARGV[i + 2]) then
      last = ARGV[i + 2] .. '|' .. ARGV[i + 3] .. '|' .. ARGV[i + 4]
    end
    local counts, order = {}, {}
    local function add(hour, n)
      if hour >= oldest then
        if not counts[hour] then
          counts[hour] = 0
          order[#order + 1] = hour
        end
        counts[hour] = counts[hour] + n
      end
    end
    for hour, n in string.gmatch(held[2] or '', '(%d+):(%d+)') do
      add(tonumber(hour), tonumber(n))
    end
    for j = i + 6, i + 4 + 2 * hours, 2 do
      add(tonumber(ARGV[j]), tonumber(ARGV[j + 1]))
    end
    table.sort(order)
    local text = {}
    for k, hour in ipairs(order) do
      text[k] = string.format('%d:%d', hour, counts[hour])
    end
    redis.call('HSET', KEYS[2], fields[1], last, fields[2], table.concat(text, ','))
  else
    unknown = unknown + connections
  end
  i = i + 6 + 2 * hours
end
return {counted, unknown}
