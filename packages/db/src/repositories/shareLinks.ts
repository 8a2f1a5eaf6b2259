import { type Executor, referencing } from '../driver.ts';
import { isId, newId } from '../ids.ts';
import { hashSecret, newSecret } from '../secrets.ts';

/** A read-only link to one run that needs no account; revocable. */
export interface ShareLink {
  id: string;
  runId: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface ShareLinkRepository {
  /** Returns the token for the URL once; only its SHA-256 is stored. */
  create(runId: string, createdBy: string): Promise<{ link: ShareLink; token: string }>;
  /** The link for a token unless it was revoked. */
  findValid(token: string): Promise<ShareLink | null>;
  get(id: string): Promise<ShareLink | null>;
  /** Newest first, revoked ones included. */
  listForRun(runId: string): Promise<ShareLink[]>;
  /** False when it does not exist or was already revoked. */
  revoke(id: string): Promise<boolean>;
}

interface ShareLinkRow {
  id: string;
  run_id: string;
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'id, run_id, created_by, created_at, revoked_at';

const toShareLink = (row: ShareLinkRow): ShareLink => ({
  id: row.id,
  runId: row.run_id,
  createdBy: row.created_by,
  createdAt: row.created_at,
  revokedAt: row.revoked_at,
});

export function createShareLinkRepository(db: Executor): ShareLinkRepository {
  return {
    async create(runId, createdBy) {
      const token = newSecret('shr');
      const { rows } = await referencing(
        db.query<ShareLinkRow>(
          `INSERT INTO share_links (id, run_id, token_hash, created_by) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
          [newId(), runId, hashSecret(token), createdBy],
        ),
      );
      return { link: toShareLink(rows[0]!), token };
    },

    async findValid(token) {
      const { rows } = await db.query<ShareLinkRow>(
        `SELECT ${COLUMNS} FROM share_links WHERE token_hash = $1 AND revoked_at IS NULL`,
        [hashSecret(token)],
      );
      return rows[0] === undefined ? null : toShareLink(rows[0]);
    },

    async get(id) {
      if (!isId(id)) return null;
      const { rows } = await db.query<ShareLinkRow>(`SELECT ${COLUMNS} FROM share_links WHERE id = $1`, [id]);
      return rows[0] === undefined ? null : toShareLink(rows[0]);
    },

    async listForRun(runId) {
      if (!isId(runId)) return [];
      const { rows } = await db.query<ShareLinkRow>(
        `SELECT ${COLUMNS} FROM share_links WHERE run_id = $1 ORDER BY created_at DESC, id DESC`,
        [runId],
      );
      return rows.map(toShareLink);
    },

    async revoke(id) {
      if (!isId(id)) return false;
      const { rowCount } = await db.query(
        'UPDATE share_links SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
        [id],
      );
      return rowCount > 0;
    },
  };
}
