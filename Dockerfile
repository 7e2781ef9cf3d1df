# Production image: gunicorn serving the site, static files collected at build time.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=recovery_site.settings \
    PORT=8000 \
    WEB_CONCURRENCY=3

WORKDIR /app

# Dependencies in their own layer: rebuilt only when requirements.txt changes.
COPY requirements.txt .
RUN pip install -r requirements.txt

RUN useradd --system --create-home --uid 10001 clinic
COPY --chown=clinic:clinic . .

# collectstatic reads no secrets, but settings refuse to load without them in production.
RUN DJANGO_ENV=test python manage.py collectstatic --noinput --verbosity 0

USER clinic
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:' + os.environ.get('PORT', '8000') + '/healthz', headers={'Host': os.environ.get('ALLOWED_HOSTS', 'localhost').split(',')[0]}), timeout=4)"]

# Listens on every interface of the container, for the proxy in front of it. It must never
# be reachable from outside: sync workers wait for a slow client's whole body, so a handful
# of stalled uploads would hold them all. Run it behind deploy/nginx.conf (docs/deploy.md).
CMD ["sh", "-c", "exec gunicorn recovery_site.wsgi:application --bind 0.0.0.0:${PORT} --workers ${WEB_CONCURRENCY} --no-control-socket --forwarded-allow-ips=${FORWARDED_ALLOW_IPS:-127.0.0.1}"]
