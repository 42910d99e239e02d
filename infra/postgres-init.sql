-- Runs once when the PostgreSQL volume is created. Each bounded context gets its own schema through the
-- migrations; this only sets database-wide defaults.
ALTER DATABASE pass SET timezone TO 'UTC';
ALTER DATABASE pass SET statement_timeout TO '30s';
ALTER DATABASE pass SET idle_in_transaction_session_timeout TO '60s';
