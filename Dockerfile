# The production image: the app under gunicorn, static files served by whitenoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings to import; this key only exists during the build.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && useradd --system --no-create-home tracker
USER tracker

EXPOSE 8000
CMD ["gunicorn", "gcm_tracker.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
