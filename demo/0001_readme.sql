-- 0001_readme.sql - demo data scripts run by `kaowu-admin demo demo/` when KAOWU_DEMO is not 0.
-- The identity issue adds the organisations and accounts of API.md here; this
-- first script only proves the mechanism (recorded in demo_scripts, run once).
SELECT 1;
