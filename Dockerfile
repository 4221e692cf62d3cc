FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV ECD_ENV=production DJANGO_SETTINGS_MODULE=ecd.settings ECD_VAR_DIR=/var/lib/ecd
RUN mkdir -p /var/lib/ecd && SECRET_KEY=build ECD_MASTER_KEYS=build:$(python -c "print('A'*43)") \
      ECD_BLIND_INDEX_KEY=build ECD_AUDIT_CHECKPOINT_KEY=build ALLOWED_HOSTS=build \
      python manage.py collectstatic --noinput
USER nobody
EXPOSE 8000
