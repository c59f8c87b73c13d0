# The reemploi application image, used by compose.yaml.
FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY reemploi ./reemploi
COPY migrations ./migrations
COPY labels ./labels
RUN pip install . && useradd --system --home /app reemploi
USER reemploi
ENV REEMPLOI_HOST=0.0.0.0 REEMPLOI_PORT=8000
EXPOSE 8000
CMD ["sh", "-c", "reemploi db upgrade && exec reemploi serve"]
