import type { CliIo, Command } from './command.ts';

// Commands load lazily so `argmax --help` does not pay for tfjs start-up.
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  train: {
    summary: 'train a Fashion-MNIST or MNIST model and save it in TF.js layers format',
    load: async () => (await import('./commands/train.ts')).trainCommand,
  },
  optimize: {
    summary: 'find the input that maximises a model output under constraints',
    load: async () => (await import('./commands/optimize.ts')).optimizeCommand,
  },
  certify: {
    summary: 'certified upper bound (and proven optimum) of a logit or margin over constraints',
    load: async () => (await import('./commands/certify.ts')).certifyCommand,
  },
};

const usage = `Usage: argmax <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Run 'argmax <command> --help' for a command's options.
`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage);
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr(
      `argmax: unknown command ${JSON.stringify(name)}; expected one of ${Object.keys(commands).join(', ')}\n`,
    );
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.help);
    return 0;
  }
  return command.run(rest, io);
}

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  isTTY: Boolean(process.stderr.isTTY),
};
process.exitCode = await main(process.argv.slice(2), io);
