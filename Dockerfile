# mpro production image: gunicorn for the web, the same image for the Celery worker and beat.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml ./
RUN pip install --upgrade pip && pip install .
COPY . .
# Static files and compiled translations are built into the image.
RUN DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py compilemessages_babel \
 && DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 mpro && chown -R mpro /app
USER mpro
EXPOSE 8000
CMD ["gunicorn", "mpro.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
