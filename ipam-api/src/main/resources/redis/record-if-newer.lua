-- Writes a hash only when the report is newer than what it holds, so a late or duplicated
-- heartbeat or probe result never overwrites a fresher one.
-- KEYS: 1 the hash
-- ARGV: 1 the report's time field name, 2 its epoch ms, 3.. field/value pairs ('' value = delete the field)
local current = redis.call('HGET', KEYS[1], ARGV[1])
if current and tonumber(current) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
for i = 3, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    redis.call('HDEL', KEYS[1], ARGV[i])
  else
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
return 1
