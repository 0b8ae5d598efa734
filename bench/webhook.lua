-- wrk script: Alertmanager notifications, each alert with a fingerprint never sent before.
-- ALERTS alerts a notification; 1,000 alert groups, so incidents grow as they do under a real storm.
local alerts = tonumber(os.getenv("ALERTS") or "1")
-- Fingerprints are new across runs too: each wrk run (warm-up, 1 alert, 50 alerts) names its own.
local run = os.getenv("RUN") or tostring(os.time())
local threads = {}
local counter = 0
local requests = 0
local id = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  id = tonumber(wrk.thread:get("id") or 0) or 0
end

local function alert(n)
  return string.format(
    '{"status":"firing","labels":{"alertname":"Bench","service":"bench","severity":"ticket","n":"%d"},"annotations":{},' ..
    '"startsAt":"2026-11-27T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus/graph","fingerprint":"%s-t%d-%d"}',
    n, run, id, n)
end

request = function()
  local parts = {}
  for i = 1, alerts do
    counter = counter + 1
    parts[i] = alert(counter)
  end
  -- Each thread walks all 1,000 groups in turn (a group from the alert counter alone would visit only
  -- 1,000 / ALERTS of them: 20 groups for 50 alerts, and incidents of thousands of alerts).
  requests = requests + 1
  local group = (requests * 7 + id * 500) % 1000
  local body = string.format(
    '{"version":"4","groupKey":"{}:{alertname=\\"Bench\\", group=\\"%d\\"}","truncatedAlerts":0,"status":"firing",' ..
    '"receiver":"sre","groupLabels":{"alertname":"Bench"},"commonLabels":{"alertname":"Bench","service":"bench"},' ..
    '"commonAnnotations":{},"externalURL":"http://alertmanager","alerts":[%s]}', group, table.concat(parts, ","))
  return wrk.format("POST", "/api/v1/alertmanager/webhook",
    { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer dev-alertmanager-token" }, body)
end
