-- The data plane's snapshot reads the running listeners after every
-- change: a partial index keeps that read proportional to what is served,
-- not to every listener configured.
CREATE INDEX lb_listeners_running ON lb_listeners (load_balancer_id, port) WHERE status = 'running';
