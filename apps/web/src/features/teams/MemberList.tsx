'use client';

import { useMutation } from 'urql';
import { ErrorMessage } from '../../components/common/ErrorMessage.tsx';
import { graphql } from '../../graphql/graphql.ts';
import { ROLES, type Role } from './roles.ts';

const ChangeRoleMutation = graphql(`
  mutation ChangeRole($teamId: ID!, $userId: ID!, $role: Role!) {
    changeRole(teamId: $teamId, userId: $userId, role: $role) {
      role
      user {
        id
      }
    }
  }
`);

const RemoveMemberMutation = graphql(`
  mutation RemoveMember($teamId: ID!, $userId: ID!) {
    removeMember(teamId: $teamId, userId: $userId)
  }
`);

interface Member {
  role: Role;
  user: { id: string; email: string; displayName: string | null };
}

interface Props {
  teamId: string;
  members: readonly Member[];
  myId: string | null;
  canManage: boolean;
}

/** Members with their roles; owners get a role picker and a remove button for everyone but themselves. */
export function MemberList({ teamId, members, myId, canManage }: Props) {
  const [changing, changeRole] = useMutation(ChangeRoleMutation);
  const [removing, removeMember] = useMutation(RemoveMemberMutation);
  const refetch = { additionalTypenames: ['Team', 'Member'] };
  return (
    <>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Role</th>
              {canManage ? <th aria-label="Actions" /> : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => {
              const self = m.user.id === myId;
              return (
                <tr key={m.user.id} data-member={m.user.email}>
                  <td>
                    {m.user.displayName ?? '—'}
                    {self ? <span className="muted"> (you)</span> : null}
                  </td>
                  <td>{m.user.email}</td>
                  <td>
                    {canManage && !self ? (
                      <select
                        aria-label={`Role of ${m.user.email}`}
                        value={m.role}
                        disabled={changing.fetching}
                        onChange={(e) =>
                          changeRole({ teamId, userId: m.user.id, role: e.target.value as Role }, refetch)
                        }
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {r.toLowerCase()}
                          </option>
                        ))}
                      </select>
                    ) : (
                      m.role.toLowerCase()
                    )}
                  </td>
                  {canManage ? (
                    <td>
                      {self ? null : (
                        <button
                          type="button"
                          className="danger"
                          disabled={removing.fetching}
                          onClick={() => {
                            if (window.confirm(`Remove ${m.user.email} from the team?`))
                              void removeMember({ teamId, userId: m.user.id }, refetch);
                          }}
                        >
                          Remove
                        </button>
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ErrorMessage error={changing.error ?? removing.error} />
    </>
  );
}
