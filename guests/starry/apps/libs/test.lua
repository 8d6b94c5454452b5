-- The Lua workload: tables, strings, closures, coroutines, os.time and file I/O.
-- arg[1] is a writable directory. The output must be the same on every system.
local dir = arg[1] or "."
local failures = 0
local function check(ok, what)
  print((ok and "ok " or "FAIL ") .. what)
  if not ok then failures = failures + 1 end
end

print(_VERSION)

-- tables: array part, hash part, sort, concat, table.move, # and nested structures
local t = {}
for i = 1, 1000 do t[i] = (i * 7919) % 1009 end
table.sort(t)
print("sorted", t[1], t[500], t[1000], #t)
local h = {}
for i = 1, 500 do h["k" .. i] = i * i end
local sum = 0
for _, v in pairs(h) do sum = sum + v end
print("hash sum", sum)
local moved = table.move({1, 2, 3, 4, 5}, 2, 4, 1, {})
print("move", table.concat(moved, ","))
local nested = {a = {b = {c = {"deep"}}}}
print("nested", nested.a.b.c[1], select("#", table.unpack({1, nil, 3}, 1, 3)))
table.remove(t, 1); table.insert(t, 1, -1)
print("insert/remove", t[1], #t)

-- strings: formatting, patterns, gsub with a function, byte/char, rep, integer/float
print(string.format("%5d|%-5s|%.3f|%x|%q", 42, "ab", math.pi, 255, "a\nb"))
print(("hello world from lua"):gsub("(%w+)", function(w) return w:upper():sub(1, 1) .. w:sub(2) end))
local words = {}
for w in ("the quick brown fox jumps"):gmatch("%a+") do words[#words + 1] = #w end
print("word lengths", table.concat(words, " "))
print("find", ("key=value; other=thing"):find("(%w+)=(%w+)", 10))
print("bytes", string.byte("ABC", 1, -1), string.char(72, 105), ("x"):rep(5, "-"))
print("numbers", 7 // 2, 7 / 2, 2^10, math.tointeger(3.0), 0x7fffffffffffffff + 1 == math.mininteger)
-- (ASCII only: the hypervisor's console escapes other bytes)
local u = utf8.char(72, 228, 8364)
print("utf8", #u, utf8.len(u), table.concat({utf8.codepoint(u, 1, -1)}, ","), u == "H\xc3\xa4\xe2\x82\xac")

-- closures: counters sharing and not sharing upvalues, recursion through a local
local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end
end
local inc, get = counter()
local inc2 = counter()
inc(); inc(); inc2()
print("closures", get(), inc2())
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib(25)", fib(25))
local memo = setmetatable({}, {__index = function(m, k) local v = k * 2; rawset(m, k, v); return v end})
print("metatable", memo[21], rawget(memo, 21), rawget(memo, 22))

-- coroutines: a generator, passing values both ways, status, wrap, an error inside
local gen = coroutine.create(function(a)
  local b = coroutine.yield(a + 1)
  local c = coroutine.yield(b * 2)
  return c .. "!"
end)
print("resume", coroutine.resume(gen, 1))
print("resume", coroutine.resume(gen, 10))
print("resume", coroutine.resume(gen, "done"))
print("status", coroutine.status(gen), coroutine.resume(gen))
local primes = coroutine.wrap(function()
  for n = 2, math.huge do
    local p = true
    for d = 2, math.floor(math.sqrt(n)) do if n % d == 0 then p = false; break end end
    if p then coroutine.yield(n) end
  end
end)
local ps = {}
for _ = 1, 10 do ps[#ps + 1] = primes() end
print("primes", table.concat(ps, " "))
local okp, e = pcall(function() error({code = 7}) end)
print("pcall", okp, type(e), e.code)
print("error in coroutine", coroutine.resume(coroutine.create(function() error("boom", 0) end)))

-- os.time: a plausible wall clock, and the calendar conversions both ways (no time printed)
local now = os.time()
check(math.type(now) == "integer" and now >= 0, "os.time is an integer, not before 1970")
check(os.time(os.date("*t", now)) == now, "os.date and os.time agree on now")
check(os.difftime(os.time(), now) >= 0, "os.time does not go back")
local d = os.date("!*t", 86400 * 365)
print("date of 365 days", d.year, d.month, d.day, d.hour)
print("os.time of a date", os.time({year = 2000, month = 1, day = 1, hour = 12}) - os.time({year = 1999, month = 12, day = 31, hour = 12}))
check(os.clock() >= 0, "os.clock")
check(os.getenv("PATH") ~= nil, "os.getenv PATH")

-- file I/O: write, append, read by lines/numbers/all, seek, remove, rename, errors
local path = dir .. "/lua-test.txt"
local f = assert(io.open(path, "w"))
for i = 1, 100 do f:write(string.format("line %d %d\n", i, i * i)) end
f:close()
f = assert(io.open(path, "a")); f:write("tail 3.5\n"); f:close()
local count, total = 0, 0
for line in io.lines(path) do
  count = count + 1
  local n = tonumber(line:match("(%d+)$"))
  if n then total = total + n end
end
print("lines", count, total)
f = assert(io.open(path, "r"))
print("size", f:seek("end"))
f:seek("set", 5)
print("read after seek", f:read("n", "n"))
f:seek("set", 0)
local all = f:read("a")
print("read all", #all, select(2, all:gsub("\n", "")))
f:close()
f = assert(io.open(path, "r+"))
f:seek("set", 0); f:write("LINE"); f:close()
print("rewritten", io.lines(path)())
local moved_path = dir .. "/lua-moved.txt"
os.remove(moved_path)
check(os.rename(path, moved_path), "os.rename")
print("open removed name errno", select(3, io.open(path, "r")))
check(os.remove(moved_path), "os.remove")
print("remove again errno", select(3, os.remove(moved_path)))
f = assert(io.open(dir .. "/lua-bin.dat", "wb"))
f:write(string.pack("<i4 d s1", -5, 2.5, "xyz")); f:close()
f = assert(io.open(dir .. "/lua-bin.dat", "rb")); local data = f:read("a"); f:close()
print("binary", #data, string.unpack("<i4 d s1", data))
os.remove(dir .. "/lua-bin.dat")

-- the collector: a lot of garbage, then a full collection
for i = 1, 20000 do local _ = {i, tostring(i)} end
collectgarbage("collect")
check(collectgarbage("count") < 1024, "memory in use after a collection under 1 MiB")

print(failures == 0 and "lua: done" or "lua: FAILED")
os.exit(failures == 0 and 0 or 1)
