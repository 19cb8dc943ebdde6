-- The v1 create script's way: a mapping key built from a prefix in ARGV.
redis.call('HSET', ARGV[1] .. ARGV[2], 'state', 'pending')
