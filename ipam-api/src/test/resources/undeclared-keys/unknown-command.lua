-- RENAME has two keys; a command whose key positions the check does not know is refused.
redis.pcall('RENAME', KEYS[1], KEYS[2])
