-- Shared by the scripts that read or forget a mapping's connection usage; prepended by LuaScripts.
-- The usage hash's fields of one connection port: '<port>:last' (the latest connection) and
-- '<port>:hours' (the epoch hours of the last 24 that had connections, with their counts).
local function usage_fields(port)
  return {port .. ':last', port .. ':hours'}
end
