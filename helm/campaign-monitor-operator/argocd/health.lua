-- Argo CD health check for cloudelements.io/CampaignMonitorInstance.
-- Install: argocd-cm key resource.customizations.health.cloudelements.io_CampaignMonitorInstance (docs/gitops.md).
-- Uses only what Argo CD opens for health scripts (base, table, safe os): no string library.
local hs = {}

local function condition(conditionType)
  if obj.status == nil or obj.status.conditions == nil then
    return nil
  end
  for _, c in ipairs(obj.status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local ready = condition("Ready")
local stalled = condition("Stalled")

-- Paused first: the operator then makes no calls at all, deletion included, so nothing else will move.
-- The annotation is read as written ("true"); the operator also accepts other spellings and then
-- reports Ready=False reason Paused, which counts as well.
local annotations = obj.metadata.annotations
if (annotations ~= nil and annotations["cloudelements.io/paused"] == "true")
    or (ready ~= nil and ready.reason == "Paused") then
  hs.status = "Suspended"
  if ready ~= nil and ready.reason == "Paused" then
    hs.message = ready.message
  else
    hs.message = "Paused by the annotation cloudelements.io/paused=\"true\""
  end
  return hs
end

-- The status describes an older spec (or no status yet): the operator has not looked at this generation.
local generation = obj.metadata.generation
local observed = nil
if obj.status ~= nil then
  observed = obj.status.observedGeneration
end
if generation ~= nil and observed ~= generation then
  hs.status = "Progressing"
  if observed == nil then
    hs.message = "Waiting for the operator to reconcile generation " .. generation
  else
    hs.message = "Waiting for the operator to reconcile generation " .. generation
        .. " (status describes generation " .. observed .. ")"
  end
  return hs
end

if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = stalled.message
  return hs
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = ready.message
  return hs
end

hs.status = "Progressing"
if ready ~= nil and ready.message ~= nil then
  hs.message = ready.message
else
  hs.message = "Waiting for the operator to report the Ready condition"
end
return hs
