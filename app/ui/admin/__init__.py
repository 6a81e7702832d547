"""The Admin page's panels, one module per tab: analytics (DuckDB), users and invites, and
the job queue. pages/admin.py calls each panel inside its tab."""
