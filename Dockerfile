# The simulator service. `docker compose up` runs it beside PostgreSQL 16; alone it uses embedded PGlite in /data.
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
COPY scripts ./scripts
# Dev dependencies are kept: the scripts (`npm run scenario`, `npm run db:migrate`) run TypeScript through tsx.
RUN npm ci --include=dev && npm cache clean --force
COPY tsconfig.json ./
COPY src ./src
# The server built once here (dist/main.js, scripts/build.js): the start finds it up to date and never writes
# to /app, which the unprivileged user below cannot.
RUN npm run build
# Example scenarios, for `npm run scenario -- scenarios/<file>` inside the container.
COPY scenarios ./scenarios
COPY simulations ./simulations
ENV HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
# The embedded database's folder, writable by the unprivileged user the service runs as.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
EXPOSE 3000
USER node
# Readiness, not mere liveness: healthy once the database answers, unhealthy while it is away or the server stops.
# The start period covers the wait for PostgreSQL at start-up (DATABASE_STARTUP_TIMEOUT, 60 s by default).
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/api/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# What `npm start` runs (without npm, so the server is process 1 and gets the signals).
CMD ["node", "scripts/start.js"]
