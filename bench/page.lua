-- wrk script for a plain GET page: only the JSON report.
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local report = require("report")
done = report.done
