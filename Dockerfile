# The reemploi application image, used by compose.yaml.
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
# WeasyPrint (labels, receipts, certificates, reports) needs Pango; the label templates use DejaVu
# fonts. The same packages .ci/run installs (tests/test_compose.py checks they stay the same).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md alembic.ini ./
COPY reemploi ./reemploi
COPY migrations ./migrations
COPY labels ./labels
RUN pip install . && useradd --system --home /app reemploi
USER reemploi
ENV REEMPLOI_HOST=0.0.0.0 REEMPLOI_PORT=8000
EXPOSE 8000
CMD ["sh", "-c", "reemploi db upgrade && exec reemploi serve"]
