-- wrk script: a different search on every request (a name in Latin script, matching
-- 1 to 111 agencies of the benchmark's 10,000), so that no page cache can absorb them.
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  counter = 0
end

function request()
  counter = counter + 1
  local n = (id * 5003 + counter * 7919) % 10000
  return wrk.format("GET", "/public/agencies/japan/?lang=en&q=LLC+" .. n)
end
