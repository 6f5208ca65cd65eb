# Production image: the Django application served by gunicorn; the same image runs the
# Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# WeasyPrint (the register PDF) needs Pango, HarfBuzz's subsetter and a font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 leafspring
WORKDIR /app

COPY pyproject.toml README.md ./
COPY leafspring ./leafspring
COPY subjects ./subjects
COPY processing ./processing
COPY retention ./retention
COPY requests_dsar ./requests_dsar
RUN pip install .

COPY . .
# collectstatic needs settings; these throwaway values are never used at run time.
RUN DEBUG=false SECRET_KEY=build-only FIELD_ENCRYPTION_KEY=build-only SUPPRESSION_HASH_KEYS=b:build-only \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/var/private /app/var/beat && chown -R leafspring /app/var

USER leafspring
EXPOSE 8000
# No access log: it would keep IP addresses beyond the 4 weeks the statement allows, and
# the personal links (verification, status, download) that appear in request lines.
CMD ["gunicorn", "leafspring.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
