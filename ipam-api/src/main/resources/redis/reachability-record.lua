-- Records a probe's verdict for one address only when it is newer than the one recorded, so
-- a late or duplicated report never overwrites a fresher one.
-- KEYS: 1 reachability hash (field = address, value = JSON: observed_at, routable, last_seen)
-- ARGV: 1 address, 2 observed at (epoch ms), 3 routable ('true'|'false'), 4 last seen ('' = keep what we knew)
local json = redis.call('HGET', KEYS[1], ARGV[1])
local verdict = json and cjson.decode(json) or {}
if verdict.observed_at and tonumber(verdict.observed_at) >= tonumber(ARGV[2]) then
  return 0
end
verdict.observed_at, verdict.routable = tonumber(ARGV[2]), ARGV[3] == 'true'
if ARGV[4] ~= '' then
  verdict.last_seen = ARGV[4]
end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(verdict))
return 1
