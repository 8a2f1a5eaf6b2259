import { randomUUID } from 'node:crypto';
import type { ModelSummary } from '../repositories/models.ts';
import type { Team } from '../repositories/teams.ts';
import type { User } from '../repositories/users.ts';
import type { Repositories } from '../storage.ts';

/** Unique per call, so tests sharing one database never collide. */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID()}@example.com`;
}

export function createTestUser(storage: Repositories, label = 'user'): Promise<User> {
  return storage.users.create({
    email: uniqueEmail(label),
    passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$test',
  });
}

export async function createTestTeam(storage: Repositories, owner: User): Promise<Team> {
  return (await storage.teams.create({ name: `team ${randomUUID().slice(0, 8)}`, ownerId: owner.id })).team;
}

/** A small uploaded model; `weights` defaults to 64 bytes. */
export function createTestModel(
  storage: Repositories,
  team: Team,
  creator: User,
  weights: Uint8Array = new Uint8Array(64).map((_, i) => i),
): Promise<ModelSummary> {
  return storage.models.create({
    teamId: team.id,
    name: 'test mlp',
    origin: 'uploaded',
    inputShape: [28, 28, 1],
    outputCount: 3,
    classNames: ['a', 'b', 'c'],
    layerSummary: [{ name: 'dense', type: 'Dense', outputShape: [null, 3], parameters: 2355 }],
    parameterCount: 2355,
    modelJson: '{"modelTopology":{},"weightsManifest":[]}',
    weights,
    createdBy: creator.id,
  });
}
