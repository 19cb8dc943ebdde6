#!lua flags=no-writes
-- A gateway's whole desired state in one atomic read: the generation counter and every
-- mapping as JSON.
-- KEYS: 1 generation counter, 2 mappings hash
local result = {redis.call('GET', KEYS[1]) or '0'}
for _, json in ipairs(redis.call('HVALS', KEYS[2])) do
  result[#result + 1] = json
end
return result
