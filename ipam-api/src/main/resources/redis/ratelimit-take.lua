-- One request against a token bucket, atomically, for every replica of the API.
-- KEYS[1]  the user's bucket (a hash: tokens, ms)
-- ARGV[1]  refill rate, tokens per second
-- ARGV[2]  burst: the bucket's capacity
-- Returns 0 when the request may go ahead, else the milliseconds until a token is there.
-- The clock is Redis's own (TIME), so replicas with skewed clocks share one budget.
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local state = redis.call('HMGET', KEYS[1], 'tokens', 'ms')
local tokens = tonumber(state[1])
local last = tonumber(state[2])
if tokens == nil or last == nil then
  tokens = burst
  last = now
end
tokens = math.min(burst, tokens + math.max(0, now - last) * rate / 1000)

local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ms', tostring(now))
-- a bucket that has refilled is the same as no bucket: let idle users' keys expire
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return wait
