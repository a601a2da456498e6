-- login.lua - wrk: POST /api/auth/login as the demo center staff (bench/run.sh, scenario login)
wrk.method = "POST"
wrk.body = '{"kind":"org","username":"staff01","password":"kaowu2019"}'
wrk.headers["Content-Type"] = "application/json"
