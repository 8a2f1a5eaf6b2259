# One image for every argmax process (API, worker, dashboard); docker-compose.yml picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund
ENV NODE_ENV=production
EXPOSE 4000 3000
CMD ["npm", "start"]
