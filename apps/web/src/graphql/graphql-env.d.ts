/* eslint-disable */
/* prettier-ignore */

export type introspection_types = {
  ApiToken: {
    kind: 'OBJECT';
    name: 'ApiToken';
    fields: {
      createdAt: {
        name: 'createdAt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      };
      expiresAt: { name: 'expiresAt'; type: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      lastUsedAt: { name: 'lastUsedAt'; type: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      name: {
        name: 'name';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      prefix: {
        name: 'prefix';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      revokedAt: { name: 'revokedAt'; type: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
    };
  };
  BallInput: {
    kind: 'INPUT_OBJECT';
    name: 'BallInput';
    isOneOf: false;
    inputFields: [
      {
        name: 'epsilon';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'reference';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null };
            };
          };
        };
        defaultValue: null;
      },
    ];
  };
  Boolean: unknown;
  BoxInput: {
    kind: 'INPUT_OBJECT';
    name: 'BoxInput';
    isOneOf: false;
    inputFields: [
      {
        name: 'hi';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'lo';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        defaultValue: null;
      },
    ];
  };
  ConstraintsInput: {
    kind: 'INPUT_OBJECT';
    name: 'ConstraintsInput';
    isOneOf: false;
    inputFields: [
      { name: 'box'; type: { kind: 'INPUT_OBJECT'; name: 'BoxInput'; ofType: null }; defaultValue: null },
      {
        name: 'fixedMask';
        type: { kind: 'INPUT_OBJECT'; name: 'FixedMaskInput'; ofType: null };
        defaultValue: null;
      },
      { name: 'l2'; type: { kind: 'INPUT_OBJECT'; name: 'BallInput'; ofType: null }; defaultValue: null },
      {
        name: 'linear';
        type: {
          kind: 'LIST';
          name: never;
          ofType: {
            kind: 'NON_NULL';
            name: never;
            ofType: { kind: 'INPUT_OBJECT'; name: 'LinearConstraintInput'; ofType: null };
          };
        };
        defaultValue: null;
      },
      { name: 'linf'; type: { kind: 'INPUT_OBJECT'; name: 'BallInput'; ofType: null }; defaultValue: null },
      { name: 'quantizeLevels'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null }; defaultValue: null },
    ];
  };
  CreatedApiToken: {
    kind: 'OBJECT';
    name: 'CreatedApiToken';
    fields: {
      secret: {
        name: 'secret';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      token: {
        name: 'token';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'ApiToken'; ofType: null } };
      };
    };
  };
  CreatedInvite: {
    kind: 'OBJECT';
    name: 'CreatedInvite';
    fields: {
      invite: {
        name: 'invite';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Invite'; ofType: null } };
      };
      token: {
        name: 'token';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
    };
  };
  CreatedShareLink: {
    kind: 'OBJECT';
    name: 'CreatedShareLink';
    fields: {
      link: {
        name: 'link';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'ShareLink'; ofType: null } };
      };
      token: {
        name: 'token';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
    };
  };
  DateTime: unknown;
  FixedMaskInput: {
    kind: 'INPUT_OBJECT';
    name: 'FixedMaskInput';
    isOneOf: false;
    inputFields: [
      {
        name: 'indices';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
          };
        };
        defaultValue: null;
      },
      {
        name: 'reference';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null };
            };
          };
        };
        defaultValue: null;
      },
    ];
  };
  Float: unknown;
  ID: unknown;
  Int: unknown;
  Invite: {
    kind: 'OBJECT';
    name: 'Invite';
    fields: {
      acceptedAt: { name: 'acceptedAt'; type: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      createdAt: {
        name: 'createdAt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      };
      email: {
        name: 'email';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      expiresAt: {
        name: 'expiresAt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      revokedAt: { name: 'revokedAt'; type: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      role: {
        name: 'role';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'Role'; ofType: null } };
      };
    };
  };
  InvitePreview: {
    kind: 'OBJECT';
    name: 'InvitePreview';
    fields: {
      email: {
        name: 'email';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      role: {
        name: 'role';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'Role'; ofType: null } };
      };
      teamName: {
        name: 'teamName';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      usable: {
        name: 'usable';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
    };
  };
  JSON: unknown;
  JobStatus: {
    name: 'JobStatus';
    enumValues: 'CANCELLED' | 'FAILED' | 'INTERRUPTED' | 'QUEUED' | 'RUNNING' | 'SUCCEEDED';
  };
  LinearConstraintInput: {
    kind: 'INPUT_OBJECT';
    name: 'LinearConstraintInput';
    isOneOf: false;
    inputFields: [
      {
        name: 'bound';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        defaultValue: null;
      },
      { name: 'mean'; type: { kind: 'SCALAR'; name: 'Boolean'; ofType: null }; defaultValue: null },
      {
        name: 'sense';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'LinearSense'; ofType: null } };
        defaultValue: null;
      },
      {
        name: 'weights';
        type: {
          kind: 'LIST';
          name: never;
          ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        };
        defaultValue: null;
      },
    ];
  };
  LinearSense: { name: 'LinearSense'; enumValues: 'GE' | 'LE' };
  Member: {
    kind: 'OBJECT';
    name: 'Member';
    fields: {
      role: {
        name: 'role';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'Role'; ofType: null } };
      };
      user: {
        name: 'user';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'User'; ofType: null } };
      };
    };
  };
  Method: {
    name: 'Method';
    enumValues: 'NORMALIZED_GRADIENT_ASCENT' | 'PROJECTED_ADAM' | 'TRAINABLE_INPUT_LAYER';
  };
  Model: {
    kind: 'OBJECT';
    name: 'Model';
    fields: {
      artifacts: {
        name: 'artifacts';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'ModelArtifacts'; ofType: null };
        };
      };
      classNames: {
        name: 'classNames';
        type: {
          kind: 'LIST';
          name: never;
          ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
        };
      };
      createdAt: {
        name: 'createdAt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      inputShape: {
        name: 'inputShape';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
          };
        };
      };
      layerSummary: {
        name: 'layerSummary';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'JSON'; ofType: null } };
      };
      name: {
        name: 'name';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      origin: {
        name: 'origin';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      outputCount: {
        name: 'outputCount';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      parameterCount: {
        name: 'parameterCount';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      teamId: { name: 'teamId'; type: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      weightsBytes: {
        name: 'weightsBytes';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  ModelArtifacts: {
    kind: 'OBJECT';
    name: 'ModelArtifacts';
    fields: {
      modelJson: {
        name: 'modelJson';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      weightsBase64: {
        name: 'weightsBase64';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
    };
  };
  Mutation: {
    kind: 'OBJECT';
    name: 'Mutation';
    fields: {
      acceptInvite: {
        name: 'acceptInvite';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Team'; ofType: null } };
      };
      cancelRun: {
        name: 'cancelRun';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Run'; ofType: null } };
      };
      cancelTraining: {
        name: 'cancelTraining';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'TrainingJob'; ofType: null };
        };
      };
      changeRole: {
        name: 'changeRole';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Member'; ofType: null } };
      };
      createApiToken: {
        name: 'createApiToken';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'CreatedApiToken'; ofType: null };
        };
      };
      createShareLink: {
        name: 'createShareLink';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'CreatedShareLink'; ofType: null };
        };
      };
      createTeam: {
        name: 'createTeam';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Team'; ofType: null } };
      };
      deleteModel: {
        name: 'deleteModel';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      inviteMember: {
        name: 'inviteMember';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'CreatedInvite'; ofType: null };
        };
      };
      leaveTeam: {
        name: 'leaveTeam';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      removeMember: {
        name: 'removeMember';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      renameTeam: {
        name: 'renameTeam';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Team'; ofType: null } };
      };
      revokeApiToken: {
        name: 'revokeApiToken';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      revokeInvite: {
        name: 'revokeInvite';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      revokeShareLink: {
        name: 'revokeShareLink';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      signIn: {
        name: 'signIn';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'User'; ofType: null } };
      };
      signOut: {
        name: 'signOut';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Boolean'; ofType: null } };
      };
      signUp: {
        name: 'signUp';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'User'; ofType: null } };
      };
      startRun: {
        name: 'startRun';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Run'; ofType: null } };
      };
      trainModel: {
        name: 'trainModel';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'TrainingJob'; ofType: null };
        };
      };
    };
  };
  Parameterization: { name: 'Parameterization'; enumValues: 'FOURIER' | 'PIXEL' | 'SIGMOID' };
  Query: {
    kind: 'OBJECT';
    name: 'Query';
    fields: {
      apiTokens: {
        name: 'apiTokens';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'ApiToken'; ofType: null };
            };
          };
        };
      };
      invite: {
        name: 'invite';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'InvitePreview'; ofType: null };
        };
      };
      me: { name: 'me'; type: { kind: 'OBJECT'; name: 'User'; ofType: null } };
      model: {
        name: 'model';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Model'; ofType: null } };
      };
      models: {
        name: 'models';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Model'; ofType: null };
            };
          };
        };
      };
      run: {
        name: 'run';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Run'; ofType: null } };
      };
      runs: {
        name: 'runs';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'RunPage'; ofType: null } };
      };
      shareLinks: {
        name: 'shareLinks';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'ShareLink'; ofType: null };
            };
          };
        };
      };
      sharedRun: {
        name: 'sharedRun';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Run'; ofType: null } };
      };
      system: {
        name: 'system';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'SystemInfo'; ofType: null } };
      };
      team: {
        name: 'team';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Team'; ofType: null } };
      };
      teams: {
        name: 'teams';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Team'; ofType: null } };
          };
        };
      };
      trainingJob: {
        name: 'trainingJob';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'TrainingJob'; ofType: null };
        };
      };
      trainingJobs: {
        name: 'trainingJobs';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'TrainingJob'; ofType: null };
            };
          };
        };
      };
    };
  };
  RegularizersInput: {
    kind: 'INPUT_OBJECT';
    name: 'RegularizersInput';
    isOneOf: false;
    inputFields: [
      { name: 'blur'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null }; defaultValue: null },
      { name: 'blurEvery'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null }; defaultValue: null },
      { name: 'jitter'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null }; defaultValue: null },
      { name: 'l2'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null }; defaultValue: null },
      { name: 'tv'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null }; defaultValue: null },
    ];
  };
  Role: { name: 'Role'; enumValues: 'MEMBER' | 'OWNER' | 'VIEWER' };
  Run: {
    kind: 'OBJECT';
    name: 'Run';
    fields: {
      backend: { name: 'backend'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      bestImage: { name: 'bestImage'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      bestInput: {
        name: 'bestInput';
        type: {
          kind: 'LIST';
          name: never;
          ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        };
      };
      certificate: { name: 'certificate'; type: { kind: 'SCALAR'; name: 'JSON'; ofType: null } };
      createdAt: {
        name: 'createdAt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      };
      creator: { name: 'creator'; type: { kind: 'OBJECT'; name: 'User'; ofType: null } };
      error: { name: 'error'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      finalInput: {
        name: 'finalInput';
        type: {
          kind: 'LIST';
          name: never;
          ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        };
      };
      finishedAt: { name: 'finishedAt'; type: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      inputShape: {
        name: 'inputShape';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
          };
        };
      };
      method: { name: 'method'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      model: {
        name: 'model';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Model'; ofType: null } };
      };
      outputs: {
        name: 'outputs';
        type: {
          kind: 'LIST';
          name: never;
          ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
        };
      };
      snapshot: { name: 'snapshot'; type: { kind: 'OBJECT'; name: 'RunSnapshot'; ofType: null } };
      snapshotSteps: {
        name: 'snapshotSteps';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
          };
        };
      };
      spec: {
        name: 'spec';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'JSON'; ofType: null } };
      };
      startedAt: { name: 'startedAt'; type: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      status: {
        name: 'status';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'JobStatus'; ofType: null } };
      };
      stepCount: {
        name: 'stepCount';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      steps: {
        name: 'steps';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'RunStep'; ofType: null };
            };
          };
        };
      };
      teamId: {
        name: 'teamId';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      timings: { name: 'timings'; type: { kind: 'SCALAR'; name: 'JSON'; ofType: null } };
      value: { name: 'value'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      violation: { name: 'violation'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
    };
  };
  RunEvent: { kind: 'UNION'; name: 'RunEvent'; fields: {}; possibleTypes: 'RunStatusEvent' | 'RunStepEvent' };
  RunPage: {
    kind: 'OBJECT';
    name: 'RunPage';
    fields: {
      items: {
        name: 'items';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: { kind: 'NON_NULL'; name: never; ofType: { kind: 'OBJECT'; name: 'Run'; ofType: null } };
          };
        };
      };
      nextCursor: { name: 'nextCursor'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
    };
  };
  RunSnapshot: {
    kind: 'OBJECT';
    name: 'RunSnapshot';
    fields: {
      image: { name: 'image'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      input: {
        name: 'input';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null };
            };
          };
        };
      };
      step: {
        name: 'step';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  RunStatusEvent: {
    kind: 'OBJECT';
    name: 'RunStatusEvent';
    fields: {
      error: { name: 'error'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      runId: {
        name: 'runId';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      status: {
        name: 'status';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'JobStatus'; ofType: null } };
      };
    };
  };
  RunStep: {
    kind: 'OBJECT';
    name: 'RunStep';
    fields: {
      objective: {
        name: 'objective';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
      outputs: {
        name: 'outputs';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null };
            };
          };
        };
      };
      step: {
        name: 'step';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      violation: { name: 'violation'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
    };
  };
  RunStepEvent: {
    kind: 'OBJECT';
    name: 'RunStepEvent';
    fields: {
      image: { name: 'image'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      objective: {
        name: 'objective';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
      outputs: {
        name: 'outputs';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null };
            };
          };
        };
      };
      runId: {
        name: 'runId';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      step: {
        name: 'step';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      steps: {
        name: 'steps';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
      violation: {
        name: 'violation';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Float'; ofType: null } };
      };
    };
  };
  ShareLink: {
    kind: 'OBJECT';
    name: 'ShareLink';
    fields: {
      createdAt: {
        name: 'createdAt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      revokedAt: { name: 'revokedAt'; type: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      runId: {
        name: 'runId';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
    };
  };
  StartRunInput: {
    kind: 'INPUT_OBJECT';
    name: 'StartRunInput';
    isOneOf: false;
    inputFields: [
      {
        name: 'constraints';
        type: { kind: 'INPUT_OBJECT'; name: 'ConstraintsInput'; ofType: null };
        defaultValue: null;
      },
      { name: 'learningRate'; type: { kind: 'SCALAR'; name: 'Float'; ofType: null }; defaultValue: null },
      { name: 'method'; type: { kind: 'ENUM'; name: 'Method'; ofType: null }; defaultValue: null },
      {
        name: 'parameterization';
        type: { kind: 'ENUM'; name: 'Parameterization'; ofType: null };
        defaultValue: null;
      },
      {
        name: 'regularizers';
        type: { kind: 'INPUT_OBJECT'; name: 'RegularizersInput'; ofType: null };
        defaultValue: null;
      },
      { name: 'restarts'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null }; defaultValue: null },
      { name: 'seed'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null }; defaultValue: null },
      { name: 'steps'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null }; defaultValue: null },
      {
        name: 'target';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'INPUT_OBJECT'; name: 'TargetInput'; ofType: null };
        };
        defaultValue: null;
      },
    ];
  };
  String: unknown;
  Subscription: {
    kind: 'OBJECT';
    name: 'Subscription';
    fields: {
      runEvents: {
        name: 'runEvents';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'UNION'; name: 'RunEvent'; ofType: null } };
      };
      trainingEvents: {
        name: 'trainingEvents';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: { kind: 'OBJECT'; name: 'TrainingEvent'; ofType: null };
        };
      };
    };
  };
  SystemInfo: {
    kind: 'OBJECT';
    name: 'SystemInfo';
    fields: {
      backend: {
        name: 'backend';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      seedModelId: {
        name: 'seedModelId';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      storage: {
        name: 'storage';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      version: {
        name: 'version';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
    };
  };
  TargetInput: {
    kind: 'INPUT_OBJECT';
    name: 'TargetInput';
    isOneOf: false;
    inputFields: [
      { name: 'index'; type: { kind: 'SCALAR'; name: 'Int'; ofType: null }; defaultValue: null },
      {
        name: 'kind';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'TargetKind'; ofType: null } };
        defaultValue: null;
      },
      { name: 'layer'; type: { kind: 'SCALAR'; name: 'String'; ofType: null }; defaultValue: null },
    ];
  };
  TargetKind: {
    name: 'TargetKind';
    enumValues: 'CHANNEL' | 'LOGIT' | 'LOGPROB' | 'MARGIN' | 'PROB' | 'UNIT';
  };
  Team: {
    kind: 'OBJECT';
    name: 'Team';
    fields: {
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      invites: {
        name: 'invites';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Invite'; ofType: null };
            };
          };
        };
      };
      members: {
        name: 'members';
        type: {
          kind: 'NON_NULL';
          name: never;
          ofType: {
            kind: 'LIST';
            name: never;
            ofType: {
              kind: 'NON_NULL';
              name: never;
              ofType: { kind: 'OBJECT'; name: 'Member'; ofType: null };
            };
          };
        };
      };
      myRole: {
        name: 'myRole';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'Role'; ofType: null } };
      };
      name: {
        name: 'name';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
    };
  };
  TrainingEvent: {
    kind: 'OBJECT';
    name: 'TrainingEvent';
    fields: {
      jobId: {
        name: 'jobId';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      kind: {
        name: 'kind';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      payload: {
        name: 'payload';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'JSON'; ofType: null } };
      };
      seq: {
        name: 'seq';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'Int'; ofType: null } };
      };
    };
  };
  TrainingJob: {
    kind: 'OBJECT';
    name: 'TrainingJob';
    fields: {
      backend: { name: 'backend'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      createdAt: {
        name: 'createdAt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      };
      error: { name: 'error'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      finishedAt: { name: 'finishedAt'; type: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      metrics: { name: 'metrics'; type: { kind: 'SCALAR'; name: 'JSON'; ofType: null } };
      model: { name: 'model'; type: { kind: 'OBJECT'; name: 'Model'; ofType: null } };
      spec: {
        name: 'spec';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'JSON'; ofType: null } };
      };
      status: {
        name: 'status';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'ENUM'; name: 'JobStatus'; ofType: null } };
      };
      teamId: {
        name: 'teamId';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
      timings: { name: 'timings'; type: { kind: 'SCALAR'; name: 'JSON'; ofType: null } };
    };
  };
  User: {
    kind: 'OBJECT';
    name: 'User';
    fields: {
      createdAt: {
        name: 'createdAt';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'DateTime'; ofType: null } };
      };
      displayName: { name: 'displayName'; type: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      email: {
        name: 'email';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'String'; ofType: null } };
      };
      id: {
        name: 'id';
        type: { kind: 'NON_NULL'; name: never; ofType: { kind: 'SCALAR'; name: 'ID'; ofType: null } };
      };
    };
  };
};

/** An IntrospectionQuery representation of your schema.
 *
 * @remarks
 * This is an introspection of your schema saved as a file by GraphQLSP.
 * It will automatically be used by `gql.tada` to infer the types of your GraphQL documents.
 * If you need to reuse this data or update your `scalars`, update `tadaOutputLocation` to
 * instead save to a .ts instead of a .d.ts file.
 */
export type introspection = {
  name: never;
  query: 'Query';
  mutation: 'Mutation';
  subscription: 'Subscription';
  types: introspection_types;
};

import * as gqlTada from 'gql.tada';

declare module 'gql.tada' {
  interface setupSchema {
    introspection: introspection;
  }
}
