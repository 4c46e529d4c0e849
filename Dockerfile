# The production image: the app under gunicorn, static files served by whitenoise.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    # gunicorn's worker processes (gunicorn.conf.py); override per deployment (about 2 per core).
    WEB_CONCURRENCY=2

WORKDIR /app
# WeasyPrint (briefing packs as PDF) draws text with Pango; fonts with wide coverage of scripts,
# Chinese included (fonts-noto-cjk) for packs in Simplified Chinese.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
        fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# The interface's catalogues (.mo files are not in the repository); the image has no GNU gettext,
# so the project's compilemessages writes them with Babel.
RUN DJANGO_SECRET_KEY=compilemessages-only \
    DJANGO_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend \
    python manage.py compilemessages --ignore "*/node_modules/*"
# collectstatic needs settings to import (DEBUG off); this key and mail backend only exist during
# the build. The app user owns staticfiles/ so that collectstatic can run again when the container
# starts, and media/, where the worker writes the open-data files and briefing packs (a volume
# mounted there takes its owner from the image).
RUN DJANGO_SECRET_KEY=collectstatic-only \
    DJANGO_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend \
    python manage.py collectstatic --noinput \
    && useradd --system --no-create-home tracker \
    && chown -R tracker /app/staticfiles \
    && mkdir -p /app/media/open-data /app/media/briefing-packs && chown -R tracker /app/media
USER tracker

EXPOSE 8000
# Every gunicorn setting (bind, workers, the 120 s worker timeout) is in gunicorn.conf.py.
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
