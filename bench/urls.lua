-- wrk script for the real-traffic rows: every request the next path of a list of many.
--
-- bench/run.py writes the list (bench/traffic.py draws it from the whole catalogue, shuffled)
-- to a file under bench/results/. Each wrk thread starts at its own share of the list and walks
-- on, so no two requests open the same URL until the list is used up. Environment:
--   BENCH_URLS      the file: one path per line
--   BENCH_THREADS   wrk's thread count (-t), to share the list out
--   BENCH_SESSIONS  optional: Cookie headers, one per line, one per thread (signed-in shoppers)
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local report = require("report")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("index", threads)
end

local paths, at = {}, 0

function init(args)
  for line in io.lines(os.getenv("BENCH_URLS")) do
    if line ~= "" then
      table.insert(paths, line)
    end
  end
  if #paths == 0 then
    error("no URL in " .. os.getenv("BENCH_URLS"))
  end
  local count = tonumber(os.getenv("BENCH_THREADS")) or 1
  at = math.floor((index - 1) * #paths / count)
  local sessions = os.getenv("BENCH_SESSIONS")
  if sessions and sessions ~= "" then
    local cookies = {}
    for cookie in string.gmatch(sessions, "[^\n]+") do
      table.insert(cookies, cookie)
    end
    wrk.headers["Cookie"] = cookies[((index - 1) % #cookies) + 1]
  end
end

function request()
  at = (at % #paths) + 1
  return wrk.format("GET", paths[at])
end

done = report.done
