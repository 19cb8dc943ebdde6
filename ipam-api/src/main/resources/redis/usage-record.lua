-- Counts the forwarded connections of one log batch into the gateway's usage hash, once per
-- batch id: a redelivered or re-published batch (same id) changes nothing. Only connections
-- to a port that holds a mapping count; the others are answered as unknown.
-- KEYS: 1 mappings hash, 2 usage hash, 3 counted batch ids zset (scored by arrival, epoch ms)
-- ARGV: 1 batch id, 2 now (epoch ms, the API's clock), 3 how many batch ids to remember,
--       4 how long to remember them (ms), then per connection: port, epoch ms, ISO-8601 time, source
-- Uses lib/usage-fields.lua (field names).
-- Returns {counted, unknown port}, or {-1, 0} for a batch already counted.
local now = tonumber(ARGV[2])
if redis.call('ZADD', KEYS[3], 'NX', now, ARGV[1]) == 0 then
  return {-1, 0}
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[4]))
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[3]) - 1)
local now_hour = math.floor(now / 3600000)
local mapped, counted, unknown = {}, 0, 0
for i = 5, #ARGV - 3, 4 do
  local port, at = ARGV[i], tonumber(ARGV[i + 1])
  if mapped[port] == nil then
    mapped[port] = redis.call('HEXISTS', KEYS[1], port) == 1
  end
  if mapped[port] then
    counted = counted + 1
    local fields = usage_fields(port)
    local last = redis.call('HGET', KEYS[2], fields[1])
    if not last or tonumber(string.match(last, '^(%d+)|')) < at then
      redis.call('HSET', KEYS[2], fields[1], ARGV[i + 1] .. '|' .. ARGV[i + 2] .. '|' .. ARGV[i + 3])
    end
    local hour = math.floor(at / 3600000)
    if hour > now_hour - 24 then
      local field = fields[hour % 24 + 2]
      local held, n = string.match(redis.call('HGET', KEYS[2], field) or '', '^(%d+):(%d+)$')
      if not held or tonumber(held) < hour then
        redis.call('HSET', KEYS[2], field, hour .. ':1')
      elseif tonumber(held) == hour then
        redis.call('HSET', KEYS[2], field, hour .. ':' .. (tonumber(n) + 1))
      end
    end
  else
    unknown = unknown + 1
  end
end
return {counted, unknown}
