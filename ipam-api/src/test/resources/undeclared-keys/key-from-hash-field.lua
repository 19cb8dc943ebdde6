-- The v1 confirm script's way: the idempotency key read from a hash field.
local key = redis.call('HGET', KEYS[1], 'idempotency_key')
redis.call('SET', key, 'done', 'KEEPTTL')
