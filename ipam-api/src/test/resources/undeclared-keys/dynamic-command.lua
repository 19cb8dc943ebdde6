-- A command name from ARGV could be anything, with keys anywhere.
redis.call(ARGV[1], KEYS[1])
