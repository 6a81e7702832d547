# One image for the web app and the workers:
#   docker compose up                                  (see docker-compose.yml)
#   docker run chalk                                   the app on :8501
#   docker run chalk chalk worker -n 1 --metrics-port 9100
# System packages are those in packages.txt (the Makefile installs them too, with the browser
# and Prometheus that only the test suite uses).
FROM python:3.11-slim-bookworm

ENV DEBIAN_FRONTEND=noninteractive \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Manim (cairo, pango, ffmpeg), LaTeX for MathTex, and the sandbox (bubblewrap, libseccomp).
COPY packages.txt /tmp/packages.txt
RUN apt-get update \
    && xargs --arg-file=/tmp/packages.txt apt-get install -y --no-install-recommends \
    && rm -rf /var/lib/apt/lists/* /tmp/packages.txt

WORKDIR /app
# Dependencies first, so code changes do not reinstall them.
COPY pyproject.toml README.md ./
COPY app ./app
COPY jobs ./jobs
RUN python -m pip install .

COPY streamlit_app.py ./
COPY pages ./pages
COPY .streamlit ./.streamlit

# A non-root user owns the data dir; renders run as this user, with the sandbox layers a
# non-root container allows (`chalk selftest` reports which).
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin chalk \
    && mkdir -p /data && chown chalk:chalk /data
USER chalk
ENV CHALK_DATA_DIR=/data \
    CHALK_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8501 9100

# Exit 0 only when database, queue, storage, sandbox and disk are all ok.
HEALTHCHECK --interval=30s --timeout=30s --start-period=90s --retries=3 \
    CMD ["chalk", "health"]

CMD ["streamlit", "run", "streamlit_app.py", "--server.address=0.0.0.0", "--server.port=8501"]
