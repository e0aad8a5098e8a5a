# Preflight: one image for both the web server and the worker.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY tools/prisma-diff/package.json tools/prisma-diff/package.json
COPY scripts/prisma-generate.mjs scripts/prisma-generate.mjs
COPY prisma prisma
COPY prisma.config.ts ./
RUN npm ci
COPY . .
RUN npx next build

FROM node:20-bookworm-slim
# Debian's Chromium renders the PDF report (GET /api/v1/report.pdf); without it that endpoint answers 503 and the
# report page still prints from the browser.
RUN apt-get update && apt-get install -y --no-install-recommends chromium fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production CHROMIUM_PATH=/usr/bin/chromium
COPY --from=build /app /app
EXPOSE 3000
CMD ["npm", "start"]
