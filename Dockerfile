# One image for every Customs process; the command picks the role:
#   customs serve | customs webhook | customs api | customs worker | customs scan ...
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages packages
COPY services services
COPY openapi openapi
COPY types types
RUN npm ci --ignore-scripts \
 && npx tsc -b packages/* services/* \
 && npm prune --omit=dev

FROM node:20-bookworm-slim
# redis-server lets `customs serve` start a private Redis when REDIS_URL is not set (single machine).
RUN apt-get update && apt-get install -y --no-install-recommends redis-server ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app /app
ENV NODE_ENV=production XDG_CACHE_HOME=/var/cache
RUN mkdir -p /var/cache/customs && chown node:node /var/cache/customs
USER node
ENTRYPOINT ["node", "services/cli/bin/customs.js"]
CMD ["serve"]
