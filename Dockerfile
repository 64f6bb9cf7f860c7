# syntax=docker/dockerfile:1
# One image for every process: the web app (the default command), the Celery worker and beat
# (see deploy/). Build: docker build --build-arg GIT_REF=$(git rev-parse HEAD) -t tracker .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# GOV.UK Frontend and MoJ Frontend, precompiled, from npm (production dependencies only).
FROM node:22-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# Wheels for requirements.txt only: the test tools in requirements-dev.txt never reach the image.
FROM ${PYTHON_IMAGE} AS wheels
WORKDIR /build
COPY requirements.txt ./
RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt

FROM ${PYTHON_IMAGE} AS runtime
ARG BUILD_NUMBER=""
ARG GIT_REF=""
ARG GIT_BRANCH=""
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DEBUG=0 \
    LOG_FORMAT=json \
    PORT=8000 \
    XDG_CACHE_HOME=/tmp/cache \
    BUILD_NUMBER=${BUILD_NUMBER} \
    GIT_REF=${GIT_REF} \
    GIT_BRANCH=${GIT_BRANCH}

# Pango and fonts for WeasyPrint's PDFs. Debian's security updates come with the base image.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 tracker \
    && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin tracker

WORKDIR /app
COPY --from=wheels /wheels /wheels
COPY requirements.txt ./
RUN pip install --no-cache-dir --no-index --find-links=/wheels -r requirements.txt && rm -rf /wheels

COPY --from=assets /build/node_modules/govuk-frontend/dist node_modules/govuk-frontend/dist
COPY --from=assets /build/node_modules/@ministryofjustice/frontend/moj node_modules/@ministryofjustice/frontend/moj
COPY manage.py pyproject.toml gunicorn.conf.py ./
COPY tracker tracker
COPY recommendations recommendations
COPY reminders reminders
COPY reporting reporting
COPY templates templates
COPY static static
COPY fixtures fixtures

# Static files are collected (and compressed, with a manifest) at build time; the key exists
# only for this command, which needs settings but no secret.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    python manage.py collectstatic --noinput --verbosity 0

# A numeric user, so that Kubernetes can check runAsNonRoot. Nothing is written outside /tmp
# (the font cache included, through XDG_CACHE_HOME), so the root filesystem can be read-only.
USER 10001:10001
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "tracker.wsgi"]
