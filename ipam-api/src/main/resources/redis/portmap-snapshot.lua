-- A gateway's whole desired state in one atomic read: the generation counter and every
-- mapping, each as a flat field/value list.
-- KEYS: 1 generation counter, 2 set of used ports
-- ARGV: 1 map key prefix
local result = {redis.call('GET', KEYS[1]) or '0'}
for _, port in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  local fields = redis.call('HGETALL', ARGV[1] .. port)
  if #fields > 0 then
    result[#result + 1] = fields
  end
end
return result
