-- Shared by the scripts that read or forget a mapping's connection usage; prepended by LuaScripts.
-- The usage hash's fields of one connection port: '<port>:last' (the latest connection) and one
-- bucket per hour of the day, '<port>:<epoch hour % 24>' = '<epoch hour>:<count>'.
local function usage_fields(port)
  local fields = {port .. ':last'}
  for slot = 0, 23 do
    fields[#fields + 1] = port .. ':' .. slot
  end
  return fields
end
