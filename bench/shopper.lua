-- wrk script for a page read by a shopper with a session and a cart (their Cookie header):
-- the kept page with the reader's own header filled in (shop.core.cache), not a cookie-less hit.
--   BENCH_COOKIE  the Cookie header of the shopper
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local report = require("report")
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
done = report.done
