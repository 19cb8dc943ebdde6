-- One of several keys deleted is not declared.
redis.call('DEL', KEYS[1], 'ipam:{g}:map:' .. ARGV[1])
