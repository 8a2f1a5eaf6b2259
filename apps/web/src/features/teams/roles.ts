/** What a role may do, mirroring the server (which still refuses anything else). */
export type Role = 'OWNER' | 'MEMBER' | 'VIEWER';

export const ROLES: readonly Role[] = ['OWNER', 'MEMBER', 'VIEWER'];

/** Members and owners start and cancel runs, train models, make share links. */
export const canWrite = (role: Role | null | undefined) => role === 'OWNER' || role === 'MEMBER';

/** Owners invite, change roles and remove members. */
export const canManage = (role: Role | null | undefined) => role === 'OWNER';
