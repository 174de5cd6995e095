-- wrk script: an authenticated JSON POST. Set TOKEN, BODY_PATH (a file) in the environment.
local token = os.getenv("TOKEN")
local f = assert(io.open(os.getenv("BODY_PATH"), "r"))
local body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
