#!lua flags=no-writes
-- A gateway's whole desired state in one atomic read: the generation counter and every
-- mapping as JSON, then (the last element, a list) the usage of the mappings that have any.
-- KEYS: 1 generation counter, 2 mappings hash, 3 usage hash
-- ARGV: 1 the current epoch hour (for the usage counts)
-- Uses lib/usage-fields.lua and lib/usage-summary.lua.
local result = {redis.call('GET', KEYS[1]) or '0'}
local all = redis.call('HGETALL', KEYS[2])
for i = 2, #all, 2 do
  result[#result + 1] = all[i]
end
result[#result + 1] = usage_summary(3, all, 2, tonumber(ARGV[1]))
return result
