"""The pipeline: a prompt or code becomes a checked, stored video (or code, for `chalk generate`).

    generate ─► fix pitfalls ─► validate (policy) ─► render (sandbox) ─► layout check ─► store
        ▲                                                                     │
        └──────── repair: policy sentence / traceback / layout report ◄───────┘

One module per stage or concern, in the order a job meets them:

    job.py            run_job: one job end to end (what workers and `chalk render` run)
    generate.py       generate_code: code for a prompt, validated but not rendered
    repair_loop.py    the one LLM loop: ask, fix, check, ask again with the reason
    feedback.py       what the loop tells the model about a failed attempt
    cached_render.py  validate, then the stored render or a new one; store the accepted one
    result.py         Attempt and JobResult: what a job reports
    stages.py         the stages a job reports while it runs

It sits above app.generators and app.core (which know nothing of it) and below the jobs,
the CLI and the UI.
"""
