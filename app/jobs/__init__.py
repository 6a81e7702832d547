"""The job system: submit/status/cancel (service), the job function (runner), the queues
(backends: RQ on Redis or an inline thread pool), the reconciler and conditional state
changes (state). The database is the source of truth for every job's state."""
