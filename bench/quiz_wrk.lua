-- Takers of the quiz benchmark, for wrk (driven by bench/quiz_load.py; see its docstring).
--
-- One connection per wrk thread; each thread is one person after another arriving with a
-- one-time code: open the quiz's door (GET), sign in lightly (POST name, unit, code), open
-- the paper (GET), answer every question (one POST each, with the htmx headers the taking
-- page sends), submit (POST). Each request's latency is timed here, by kind; a refused or
-- unexpected response counts as an error of its kind and the taker is abandoned.
--
-- The takers arrive in one queue: each code goes to the next connection that is free, so
-- every connection stays at work until the codes run out, however unevenly the server's
-- processes share the connections. The queue is a file in QUIZ_BENCH_OUT that a thread
-- appends a byte to for each taker: an append with O_APPEND is atomic, and the offset it
-- leaves the thread's descriptor at is the thread's ticket, the number of its next code.
--
-- QUIZ_BENCH_LUA names a Lua file returning {quiz=, units={}, codes={}, paper=};
-- QUIZ_BENCH_OUT a directory: each thread writes "requests-N" there, a line per response
-- (sent at ms, kind, latency ms, 1 if as expected else 0), and leaves "done-N" when the
-- codes run out. bench/quiz_load.py reads them afterwards.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } xq_timespec;
  int clock_gettime(int clock, xq_timespec *ts);
  int open(const char *path, int flags, int mode);
  long write(int fd, const void *buf, unsigned long count);
  long lseek(int fd, long offset, int whence);
  int close(int fd);
]]
local O_WRONLY, O_CREAT, O_APPEND, SEEK_CUR = 1, 64, 1024, 1 -- Linux's values
local clock = ffi.new("xq_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local DATA = dofile(os.getenv("QUIZ_BENCH_LUA"))
local OUT = os.getenv("QUIZ_BENCH_OUT")

-- the main state: hand each thread its id
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

local QUEUE = OUT .. "/queue"

-- each thread's state
local code
local step, position, attempt, csrf, taker_cookie, sent_at
local log
local cookie_csrf = ""

local function encode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function cookies()
  local parts = {}
  if cookie_csrf ~= "" then table.insert(parts, cookie_csrf) end
  if taker_cookie then table.insert(parts, taker_cookie) end
  return table.concat(parts, "; ")
end

-- The queue is opened for each ticket, not held: wrk's event loops take descriptors only
-- up to a bound, and one more held open by each thread pushes the last connections' past it.
local function take_code()
  local queue = ffi.C.open(QUEUE, O_WRONLY + O_CREAT + O_APPEND, 420) -- 0644
  if queue < 0 then error("cannot open the queue of takers " .. QUEUE) end
  local appended = ffi.C.write(queue, "x", 1)
  local ticket = tonumber(ffi.C.lseek(queue, 0, SEEK_CUR))
  ffi.C.close(queue)
  if appended ~= 1 then error("cannot append to the queue of takers " .. QUEUE) end
  return DATA.codes[ticket] -- nil past the last code
end

function init(args)
  log = io.open(OUT .. "/requests-" .. id, "w")
  log:setvbuf("full")
  math.randomseed(id)
  code = take_code()
  step = "door"
end

local function finish()
  log:flush()
  io.open(OUT .. "/done-" .. id, "w"):close()
  wrk.thread:stop()
end

local function next_taker()
  code = take_code()
  cookie_csrf, taker_cookie, attempt, csrf = "", nil, nil, nil
  step = "door"
  if code == nil then finish() end
end

function request()
  if code == nil then -- the main state checking the script, or a thread that has finished
    return wrk.format("GET", "/health/")
  end
  sent_at = now_ms()
  local path = "/quiz/take/" .. DATA.quiz .. "/"
  if step == "door" then
    return wrk.format("GET", path, { Cookie = cookies() })
  elseif step == "sign in" then
    local unit = DATA.units[math.random(#DATA.units)]
    local body = "csrfmiddlewaretoken=" .. encode(csrf) .. "&name=" .. encode("答题人" .. code)
      .. "&unit=" .. unit .. "&code=" .. code
    return wrk.format("POST", path, {
      ["Content-Type"] = "application/x-www-form-urlencoded", Cookie = cookies(),
    }, body)
  elseif step == "paper" then
    return wrk.format("GET", "/quiz/attempt/" .. attempt .. "/?n=0", { Cookie = cookies() })
  elseif step == "answer" then
    local letters = (position % 3 == 0) and "AB" or "ABCD"
    local pick = math.random(#letters)
    local body = "position=" .. position .. "&chosen=" .. letters:sub(pick, pick)
    return wrk.format("POST", "/quiz/attempt/" .. attempt .. "/answer/", {
      ["Content-Type"] = "application/x-www-form-urlencoded", Cookie = cookies(),
      ["X-CSRFToken"] = csrf, ["HX-Request"] = "true", ["HX-Current-URL"] = "/quiz/attempt/" .. attempt .. "/",
    }, body)
  else -- submit
    return wrk.format("POST", "/quiz/attempt/" .. attempt .. "/submit/", {
      Cookie = cookies(), ["X-CSRFToken"] = csrf, Accept = "application/json",
    })
  end
end

local function header(headers, name) -- servers differ in the case of header names
  local wanted = name:lower()
  for key, value in pairs(headers) do
    if key:lower() == wanted then return value end
  end
  return nil
end

local function cookie_pair(headers)
  local raw = header(headers, "Set-Cookie")
  if raw == nil then return nil end
  return raw:match("^([^;]+)")
end

function response(status, headers, body)
  if code == nil or sent_at == nil then return end
  local latency = now_ms() - sent_at
  local kind = step
  local pair = cookie_pair(headers)
  local ok = false
  if kind == "door" then
    csrf = status == 200 and body:match('name="csrfmiddlewaretoken" value="([^"]+)"')
    if csrf and pair and pair:match("^csrftoken=") then cookie_csrf = pair end
    ok = csrf ~= nil and cookie_csrf ~= ""
    step = "sign in"
  elseif kind == "sign in" then
    attempt = status == 302 and (header(headers, "Location") or ""):match("/quiz/attempt/(%d+)/")
    if attempt and pair then taker_cookie = pair end
    ok = attempt ~= nil and taker_cookie ~= nil
    step = "paper"
  elseif kind == "paper" then
    ok = status == 200
    position = 0
    step = "answer"
  elseif kind == "answer" then
    ok = status == 200 and body:find("saved error", 1, true) == nil
    position = position + 1
    if position >= DATA.paper then step = "submit" end
  else
    ok = status == 200 and body:find('"ok": true', 1, true) ~= nil
  end
  log:write(string.format("%.3f\t%s\t%.3f\t%d\t%d\n", sent_at, kind, latency, ok and 1 or 0, status))
  if kind == "submit" or not ok then next_taker() end
end
