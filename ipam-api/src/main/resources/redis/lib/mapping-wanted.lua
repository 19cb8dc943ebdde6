-- Shared by the scripts that ask whether a mapping still stands; prepended by LuaScripts.
-- Wanted on the gateway: pending, applied, or failed because its agent refused it after applying
-- it (refused = true, see portmap-confirm.lua), which keeps it, its port and its lease.
local function mapping_wanted(mapping)
  return mapping.state == 'pending' or mapping.state == 'applied'
      or (mapping.state == 'failed' and mapping.refused == true)
end
