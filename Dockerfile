# The portal image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

# WeasyPrint needs Pango; Japanese PDFs need IPAexGothic, Cyrillic DejaVu Sans.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-ipaexfont-gothic fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --uid 10001 portal
WORKDIR /app
COPY pyproject.toml README.md ./
COPY portal/ portal/
COPY agencies/ agencies/
COPY brokers/ brokers/
COPY exams/ exams/
COPY notices/ notices/
RUN pip install .
COPY . .
RUN PORTAL_ENV=embedded python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/private && chown -R portal:portal /app/media /app/private

USER portal
EXPOSE 8000
CMD ["gunicorn", "portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
