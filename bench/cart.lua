-- wrk script for the cart flow: add to cart (POST with the CSRF token), then the cart page.
--
-- Run with as many threads as connections (-t N -c N): each thread is one shopper with its
-- own session and cart, prepared by bench/run.py (a GET of the product page for the session
-- and CSRF token, then a first add that creates the cart). Environment:
--   BENCH_CART_SESSIONS  "cookie header|csrf token" per shopper, separated by newlines
--   BENCH_CART_VARIANTS  comma-separated variant ids to add, one after another
--   BENCH_CART_ADD       the add-to-cart path (POST)     BENCH_CART_VIEW  the cart page (GET)
package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local report = require("report")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("shopper", threads)
end

local cookie, csrf, variants, add_path, view_path
local step, turn = 0, 0

local function split(text, sep)
  local out = {}
  for part in string.gmatch(text, "([^" .. sep .. "]+)") do
    table.insert(out, part)
  end
  return out
end

function init(args)
  local sessions = split(os.getenv("BENCH_CART_SESSIONS"), "\n")
  local mine = sessions[((shopper - 1) % #sessions) + 1]
  local bar = string.find(mine, "|", 1, true)
  cookie = string.sub(mine, 1, bar - 1)
  csrf = string.sub(mine, bar + 1)
  variants = split(os.getenv("BENCH_CART_VARIANTS"), ",")
  add_path = os.getenv("BENCH_CART_ADD")
  view_path = os.getenv("BENCH_CART_VIEW")
end

function request()
  step = step + 1
  if step % 2 == 1 then
    turn = turn + 1
    local variant = variants[((turn - 1) % #variants) + 1]
    local body = "csrf_token=" .. csrf .. "&variant_id=" .. variant .. "&quantity=1"
    return wrk.format("POST", add_path, {
      ["Cookie"] = cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, body)
  end
  return wrk.format("GET", view_path, {["Cookie"] = cookie})
end

done = report.done
