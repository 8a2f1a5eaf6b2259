# One image for every argmax process (API server, worker, dashboard); docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund
# The dashboard's production bundle, built once here instead of at its first start.
RUN npm run build --workspace=@argmax/web
ENV NODE_ENV=production
EXPOSE 4000 4100 3000
CMD ["npm", "start"]
