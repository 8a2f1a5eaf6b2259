import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, InviteUnusableError, LastOwnerError, NotFoundError } from '../errors.ts';
import type { Storage } from '../storage.ts';
import { createTestModel, createTestTeam, createTestUser } from '../testing/fixtures.ts';
import { storageBackends } from '../testing/storageBackends.ts';

const backends = await storageBackends();

const inADay = () => new Date(Date.now() + 24 * 3600_000);

describe.each(backends)('teams, memberships and invites on $name', (backend) => {
  let storage: Storage;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ storage, dispose } = await backend.open());
  });
  afterAll(() => dispose?.());

  describe('teams', () => {
    it('creates a team with its creator as owner', async () => {
      const owner = await createTestUser(storage);
      const { team, membership } = await storage.teams.create({ name: ' Vision ', ownerId: owner.id });
      expect(team.name).toBe('Vision');
      expect(membership).toMatchObject({ teamId: team.id, userId: owner.id, role: 'OWNER' });
      expect(await storage.teams.get(team.id)).toEqual(team);
      expect(await storage.teams.roleOf(team.id, owner.id)).toBe('OWNER');
      expect(await storage.teams.listForUser(owner.id)).toEqual([{ team, role: 'OWNER' }]);
    });

    it('creates neither team nor membership when the owner does not exist', async () => {
      const name = `ghost team ${crypto.randomUUID()}`;
      const ghost = crypto.randomUUID();
      await expect(storage.teams.create({ name, ownerId: ghost })).rejects.toThrow(
        `user "${ghost}" not found`,
      );
      const { rows } = await storage.driver.query('SELECT id FROM teams WHERE name = $1', [name]);
      expect(rows).toEqual([]);
    });

    it('renames and deletes a team, with everything in it', async () => {
      const owner = await createTestUser(storage);
      const team = await createTestTeam(storage, owner);
      expect((await storage.teams.rename(team.id, 'Renamed')).name).toBe('Renamed');
      await expect(storage.teams.rename(crypto.randomUUID(), 'x')).rejects.toThrow(NotFoundError);

      const model = await createTestModel(storage, team, owner);
      const run = await storage.runs.create({
        teamId: team.id,
        modelId: model.id,
        creatorId: owner.id,
        spec: {},
      });
      expect(await storage.teams.delete(team.id)).toBe(true);
      expect(await storage.teams.get(team.id)).toBeNull();
      expect(await storage.teams.roleOf(team.id, owner.id)).toBeNull();
      expect(await storage.models.get(model.id)).toBeNull();
      expect(await storage.runs.get(run.id)).toBeNull();
      expect(await storage.teams.delete(team.id)).toBe(false);
    });
  });

  describe('memberships', () => {
    it('answers the role of each user, and null for outsiders and malformed IDs', async () => {
      const owner = await createTestUser(storage);
      const member = await createTestUser(storage);
      const viewer = await createTestUser(storage);
      const outsider = await createTestUser(storage);
      const team = await createTestTeam(storage, owner);
      await storage.teams.addMember(team.id, member.id, 'MEMBER');
      await storage.teams.addMember(team.id, viewer.id, 'VIEWER');

      expect(await storage.teams.roleOf(team.id, member.id)).toBe('MEMBER');
      expect(await storage.teams.roleOf(team.id, viewer.id)).toBe('VIEWER');
      expect(await storage.teams.roleOf(team.id, outsider.id)).toBeNull();
      expect(await storage.teams.roleOf('not-a-uuid', owner.id)).toBeNull();
      expect(await storage.teams.listForUser(outsider.id)).toEqual([]);

      const members = await storage.teams.listMembers(team.id);
      expect(members.map((m) => [m.user.email, m.role])).toEqual([
        [owner.email, 'OWNER'],
        [member.email, 'MEMBER'],
        [viewer.email, 'VIEWER'],
      ]);
    });

    it('refuses a second membership and an unknown role', async () => {
      const owner = await createTestUser(storage);
      const team = await createTestTeam(storage, owner);
      await expect(storage.teams.addMember(team.id, owner.id, 'VIEWER')).rejects.toThrow(ConflictError);
      await expect(storage.teams.addMember(team.id, crypto.randomUUID(), 'VIEWER')).rejects.toThrow(
        NotFoundError,
      );
      await expect(storage.teams.addMember(crypto.randomUUID(), owner.id, 'VIEWER')).rejects.toThrow(
        /^team "/,
      );
      // @ts-expect-error: the role is checked at run time too, for callers outside TypeScript.
      await expect(storage.teams.addMember(team.id, owner.id, 'ADMIN')).rejects.toThrow(
        /role: received "ADMIN"; expected OWNER \| MEMBER \| VIEWER/,
      );
    });

    it('changes roles and removes members, but never the last owner', async () => {
      const owner = await createTestUser(storage);
      const member = await createTestUser(storage);
      const team = await createTestTeam(storage, owner);
      await storage.teams.addMember(team.id, member.id, 'MEMBER');

      await expect(storage.teams.setRole(team.id, owner.id, 'MEMBER')).rejects.toThrow(LastOwnerError);
      await expect(storage.teams.removeMember(team.id, owner.id)).rejects.toThrow(LastOwnerError);
      await expect(storage.teams.setRole(team.id, crypto.randomUUID(), 'VIEWER')).rejects.toThrow(
        NotFoundError,
      );

      expect((await storage.teams.setRole(team.id, member.id, 'OWNER')).role).toBe('OWNER');
      expect(await storage.teams.removeMember(team.id, owner.id)).toBe(true);
      expect(await storage.teams.roleOf(team.id, owner.id)).toBeNull();
      expect(await storage.teams.removeMember(team.id, owner.id)).toBe(false);
      expect(await storage.teams.roleOf(team.id, member.id)).toBe('OWNER');
    });

    it('keeps one owner when two owners demote themselves at the same moment', async () => {
      const a = await createTestUser(storage);
      const b = await createTestUser(storage);
      const team = await createTestTeam(storage, a);
      await storage.teams.addMember(team.id, b.id, 'OWNER');

      const results = await Promise.allSettled([
        storage.teams.setRole(team.id, a.id, 'MEMBER'),
        storage.teams.setRole(team.id, b.id, 'MEMBER'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected');
      expect(rejected?.reason).toBeInstanceOf(LastOwnerError);
      const owners = (await storage.teams.listMembers(team.id)).filter((m) => m.role === 'OWNER');
      expect(owners).toHaveLength(1);
    });
  });

  describe('invites', () => {
    async function setup() {
      const owner = await createTestUser(storage);
      const invitee = await createTestUser(storage, 'invitee');
      const team = await createTestTeam(storage, owner);
      const created = await storage.invites.create({
        teamId: team.id,
        email: invitee.email.toUpperCase(),
        role: 'MEMBER',
        createdBy: owner.id,
        expiresAt: inADay(),
      });
      return { owner, invitee, team, ...created };
    }

    it('stores only the SHA-256 of the invite token and finds the invite by token', async () => {
      const { team, invite, token } = await setup();
      expect(token).toMatch(/^inv_/);
      const { rows } = await storage.driver.query<{ json: string }>(
        'SELECT row_to_json(i)::text AS json FROM invites i WHERE id = $1',
        [invite.id],
      );
      expect(rows[0]?.json).not.toContain(token.slice(4));
      expect(await storage.invites.findByToken(token)).toEqual({ ...invite, teamName: team.name });
      expect(await storage.invites.findByToken(`${token}x`)).toBeNull();
    });

    it('accepting adds the membership with the invited role and uses up the invite', async () => {
      const { invitee, team, invite, token } = await setup();
      const membership = await storage.invites.accept(token, invitee.id);
      expect(membership).toMatchObject({ teamId: team.id, userId: invitee.id, role: 'MEMBER' });
      expect(await storage.teams.roleOf(team.id, invitee.id)).toBe('MEMBER');
      const after = await storage.invites.findByToken(token);
      expect(after?.acceptedBy).toBe(invitee.id);
      expect(after?.acceptedAt).toBeInstanceOf(Date);
      expect(await storage.invites.listForTeam(team.id, { pendingOnly: true })).toEqual([]);
      expect((await storage.invites.listForTeam(team.id)).map((i) => i.id)).toEqual([invite.id]);
      await expect(storage.invites.accept(token, invitee.id)).rejects.toThrow(
        expect.objectContaining({ problem: 'accepted' }),
      );
    });

    it('refuses unknown, expired, revoked and forwarded invites', async () => {
      const { owner, invitee, team, invite, token } = await setup();
      await expect(storage.invites.accept('inv_nope', invitee.id)).rejects.toThrow(
        expect.objectContaining({ problem: 'not_found' }),
      );
      const outsider = await createTestUser(storage, 'forwarded');
      await expect(storage.invites.accept(token, outsider.id)).rejects.toThrow(
        expect.objectContaining({ problem: 'email_mismatch' }),
      );

      const expired = await storage.invites.create({
        teamId: team.id,
        email: invitee.email,
        role: 'VIEWER',
        createdBy: owner.id,
        expiresAt: new Date(Date.now() - 1000),
      });
      await expect(storage.invites.accept(expired.token, invitee.id)).rejects.toThrow(
        expect.objectContaining({ problem: 'expired' }),
      );

      expect(await storage.invites.revoke(invite.id, crypto.randomUUID())).toBe(false);
      expect(await storage.invites.revoke(invite.id, team.id)).toBe(true);
      expect(await storage.invites.revoke(invite.id, team.id)).toBe(false);
      await expect(storage.invites.accept(token, invitee.id)).rejects.toThrow(InviteUnusableError);
      expect(await storage.teams.roleOf(team.id, invitee.id)).toBeNull();
    });

    it('is atomic: when the membership cannot be added the invite stays unused', async () => {
      const { invitee, team, token } = await setup();
      await storage.teams.addMember(team.id, invitee.id, 'VIEWER');
      // The invite is claimed before the membership insert fails; the rollback must un-claim it.
      await expect(storage.invites.accept(token, invitee.id)).rejects.toThrow(ConflictError);
      const invite = await storage.invites.findByToken(token);
      expect(invite?.acceptedAt).toBeNull();
      expect(invite?.acceptedBy).toBeNull();
      expect(await storage.teams.roleOf(team.id, invitee.id)).toBe('VIEWER');

      await storage.teams.removeMember(team.id, invitee.id);
      expect((await storage.invites.accept(token, invitee.id)).role).toBe('MEMBER');
    });

    it('lets only one of two simultaneous accepts of one invite succeed', async () => {
      const { invitee, team, token } = await setup();
      const results = await Promise.allSettled([
        storage.invites.accept(token, invitee.id),
        storage.invites.accept(token, invitee.id),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(InviteUnusableError);
      expect((await storage.teams.listMembers(team.id)).filter((m) => m.userId === invitee.id)).toHaveLength(
        1,
      );
    });
  });
});
