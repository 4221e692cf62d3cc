-- Run once by the postgres image on first start (docker-entrypoint-initdb.d).
-- ecd_owner owns the schema and runs migrations; ecd_app is what the web process uses.
CREATE ROLE ecd_owner LOGIN PASSWORD 'owner-change-me';
CREATE ROLE ecd_app LOGIN PASSWORD 'change-me';
CREATE DATABASE ecd OWNER ecd_owner;
CREATE DATABASE ecd_keys OWNER ecd_owner;
\connect ecd
ALTER SCHEMA public OWNER TO ecd_owner;
\connect ecd_keys
ALTER SCHEMA public OWNER TO ecd_owner;
