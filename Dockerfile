# Jemput in a container (compose.yaml runs it with PostgreSQL and Caddy; README,
# "Containers"). No secret is baked in: every JEMPUT_* secret comes from the environment
# at run time, and production refuses to start without JEMPUT_SECRET_KEY.

# Leaflet, at the version package-lock.json pins, copied as `make vendor` does: pages load
# it from Jemput itself, never from a CDN.
FROM node:22-slim AS vendor
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && mkdir -p leaflet \
 && cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
      node_modules/leaflet/dist/images node_modules/leaflet/LICENSE leaflet/

# Jemput and every dependency as wheels, so the final image carries no build leftovers.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY --from=vendor /src/leaflet ./src/jemput/static/vendor/leaflet
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    JEMPUT_ENVIRONMENT=production \
    JEMPUT_DATA_DIR=/var/lib/jemput
RUN groupadd --system jemput \
 && useradd --system --gid jemput --home-dir /var/lib/jemput --shell /usr/sbin/nologin jemput \
 && install -d -o jemput -g jemput -m 0750 /var/lib/jemput
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links /wheels jemput && rm -rf /wheels
COPY deploy/docker-entrypoint /usr/local/bin/docker-entrypoint
USER jemput
WORKDIR /var/lib/jemput
VOLUME /var/lib/jemput
EXPOSE 8000
# /healthz: the process answers (readiness, /readyz, also needs the database).
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["docker-entrypoint"]
# As deploy/systemd/jemput.service, but listening on the container's network, where
# only Caddy reaches it (compose.yaml publishes no port of this container).
CMD ["jemput", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2", "--grace", "10"]
